// Generated from package.json by scripts/version.mjs (the package's build). Do not edit.

/** This SDK's version, sent as X-Keyhold-SDK on every request. */
export const SDK_VERSION = '0.1.0';
