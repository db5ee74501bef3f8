// Why a proxy request could not be read at all (docs/http-api.md "Proxy API"); the route answers 400.
/** Why a proxy request could not be read at all (the route answers 400 with `code`). */
export class ProxyParamsError extends Error {
  readonly code: 'UNKNOWN_CHARSET' | 'BAD_JSON';
  constructor(code: 'UNKNOWN_CHARSET' | 'BAD_JSON', message: string) {
    super(message);
    this.name = 'ProxyParamsError';
    this.code = code;
  }
}

export class UnknownCharsetError extends ProxyParamsError {
  readonly charset: string;
  constructor(charset: string) {
    super('UNKNOWN_CHARSET', `Unknown charset "${charset.slice(0, 64)}": use an encoding name such as UTF-8 or Windows-1251`);
    this.name = 'UnknownCharsetError';
    this.charset = charset;
  }
}
