// Human labels for integration setting names (README "CRMs"); an unknown name shows as it is.
const LABELS: Record<string, string> = {
  url: 'Webhook URL',
  secret: 'Signing secret',
  baseUrl: 'API address',
  token: 'API token',
  apiKey: 'API key',
  site: 'Site code',
  webhookUrl: 'Inbound webhook URL',
  organizationId: 'Organization id',
  storeId: 'Store id',
  username: 'Username',
  password: 'Password',
  partnerToken: 'Partner token',
  userToken: 'User token',
  companyId: 'Company id',
  accessToken: 'Access token',
  apiVersion: 'API version',
};

export function settingLabel(name: string): string {
  return LABELS[name] ?? name;
}
