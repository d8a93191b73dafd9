// Renders build/icon.svg to the PNG sizes electron-builder wants (build/icons/<n>x<n>.png for Linux, build/icon.png
// at 1024 for macOS and Windows), with the Chromium the e2e suite uses: no image tool is needed on the machine.
//   node scripts/make-icons.mjs
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'build', 'icon.svg'), 'utf8');
const SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];

const browser = await chromium.launch({
  executablePath: process.env.TRUNKLINE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage();
  mkdirSync(join(root, 'build', 'icons'), { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
    );
    await page.screenshot({
      path: join(root, 'build', 'icons', `${size}x${size}.png`),
      omitBackground: true,
    });
  }
  await page.screenshot({ path: join(root, 'build', 'icon.png'), omitBackground: true });
  console.log(`Wrote build/icons/{${SIZES.join(',')}}.png and build/icon.png`);
} finally {
  await browser.close();
}
