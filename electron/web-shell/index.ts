// The front door of electron/web-shell: browser mode's server and its pure checks.
export { WebShellServer, API_SOCKET_PATH, WEB_SHELL_HOST, type WebShellOptions } from './web-shell-server.js';
export { DownloadRegistry, DOWNLOAD_TTL_MS } from './download-registry.js';
export { contentSecurityPolicy, isAllowedHost, isAllowedOrigin, securityHeaders } from './request-guard.js';
export { SESSION_COOKIE_NAME, parseCookies, secretsEqual } from './session-token.js';
export { MAX_COMMANDS_IN_FLIGHT } from './command-socket.js';
export { browserCommand, openBrowser } from './open-browser.js';
