/** Starts a browser download of an export link (browser mode); Electron saves through a dialog instead. */
export function startDownload(href: string, fileName: string): void {
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}
