// Exports in browser mode: the host's `history.exportCsv` registers a one-time download and answers its link;
// the browser fetches it (with the session cookie) and the server streams the rows from the store page by page.
// A link works once and expires, so a leaked link is worth nothing.

import { randomBytes } from 'node:crypto';
import type { CsvExport } from '../common/index.js';
import type { ExportDelivery } from '../host/index.js';

export const DOWNLOAD_TTL_MS = 5 * 60_000;
const MAX_PENDING_DOWNLOADS = 32;

export interface PendingDownload {
  readonly fileName: string;
  readonly contentType: string;
  readonly chunks: () => Iterable<string | Uint8Array>;
  readonly expiresAtMs: number;
}

export class DownloadRegistry implements ExportDelivery {
  readonly #pending = new Map<string, PendingDownload>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  deliver(
    fileName: string,
    contentType: string,
    chunks: () => Iterable<string | Uint8Array>,
  ): Promise<CsvExport> {
    this.#prune();
    if (this.#pending.size >= MAX_PENDING_DOWNLOADS) {
      const oldest = this.#pending.keys().next();
      if (!oldest.done) this.#pending.delete(oldest.value);
    }
    const id = randomBytes(16).toString('base64url');
    this.#pending.set(id, { fileName, contentType, chunks, expiresAtMs: this.#now() + DOWNLOAD_TTL_MS });
    return Promise.resolve({
      kind: 'download',
      href: `/downloads/${id}/${encodeURIComponent(fileName)}`,
      fileName,
    });
  }

  /** Takes the download for `/downloads/<id>/…`; it cannot be taken twice. */
  take(id: string): PendingDownload | undefined {
    this.#prune();
    const download = this.#pending.get(id);
    this.#pending.delete(id);
    return download;
  }

  #prune(): void {
    const now = this.#now();
    for (const [id, download] of this.#pending) if (download.expiresAtMs <= now) this.#pending.delete(id);
  }
}
