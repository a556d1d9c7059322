/**
 * CSP sent with every page of the app protocol: only our own bundled scripts
 * (no inline script, no eval), images and data only from the app origin
 * (media previews included), no network access, no plugins, frames, forms or <base> tricks.
 * Inline styles stay allowed: React sets style attributes.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
