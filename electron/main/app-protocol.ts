// The Electron window loads the renderer from a privileged custom scheme, not `file://`: a `file://` page shares
// its origin with every file on the disk, while `trunkline-app://app` is one origin the IPC sender check, the CSP
// and the permission handler can name exactly (Electron security checklist, "use a custom protocol").

export const APP_SCHEME = 'trunkline-app';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
