// Placeholder entry: the capture engine lands in its own commit.
export {};
