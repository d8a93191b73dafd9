// How a view hands an export to the user in browser mode: the host answers a one-time download link, and an
// anchor with `download` makes the browser save it (Electron saves through a dialog in main instead).

export function startDownload(href: string, fileName: string): void {
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}
