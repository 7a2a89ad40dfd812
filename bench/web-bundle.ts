/**
 * Bundle report of the built web app (clients/task-viewer-web/dist): the gzip size of every script
 * and stylesheet, and of what the first screen loads — the entry script named in index.html plus
 * every chunk it imports statically (what `modulepreload` fetches up front). Lazy screens (board,
 * graph, entities, the markdown renderer) are listed apart. Target: first-screen JS <= 200 KB gzip.
 *
 *   npm run build && node dist/bench/web-bundle.js        (or: npm run bench:web-bundle)
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { projectRoot } from './procs.js';

export const WEB_DIST = path.join(projectRoot(), 'clients', 'task-viewer-web', 'dist');
export const FIRST_SCREEN_BUDGET_KB = 200;

export interface BundleFile {
  name: string;
  bytes: number;
  gzipBytes: number;
  firstScreen: boolean;
}

export interface BundleReport {
  files: BundleFile[];
  firstScreenJsGzipKb: number;
  firstScreenCssGzipKb: number;
  totalJsGzipKb: number;
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

/** Static `import … from "./x.js"` (and bare `import "./x.js"`) of a built chunk; dynamic `import()` is not followed. */
function staticImports(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["'](\.\/[^"']+)["']/g)) found.add(m[1]!);
  return [...found];
}

export function bundleReport(dist = WEB_DIST): BundleReport {
  const html = path.join(dist, 'index.html');
  if (!existsSync(html)) throw new Error(`${html} is missing: run \`npm run build\` first`);
  const page = readFileSync(html, 'utf8');
  const assets = path.join(dist, 'assets');
  const entryScripts = [...page.matchAll(/<script[^>]+src="\.?\/?assets\/([^"]+)"/g)].map((m) => m[1]!);
  const styles = [...page.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="\.?\/?assets\/([^"]+)"/g)].map((m) => m[1]!);
  const first = new Set<string>(styles);
  const queue = [...entryScripts];
  while (queue.length) {
    const name = queue.shift()!;
    if (first.has(name)) continue;
    first.add(name);
    for (const dep of staticImports(readFileSync(path.join(assets, name), 'utf8'))) queue.push(path.basename(dep));
  }
  const files = readdirSync(assets)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .map((name) => {
      const content = readFileSync(path.join(assets, name));
      return { name, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length, firstScreen: first.has(name) };
    })
    .sort((a, b) => Number(b.firstScreen) - Number(a.firstScreen) || b.gzipBytes - a.gzipBytes);
  const sum = (pick: (f: BundleFile) => boolean) => kb(files.filter(pick).reduce((n, f) => n + f.gzipBytes, 0));
  return {
    files,
    firstScreenJsGzipKb: sum((f) => f.firstScreen && f.name.endsWith('.js')),
    firstScreenCssGzipKb: sum((f) => f.firstScreen && f.name.endsWith('.css')),
    totalJsGzipKb: sum((f) => f.name.endsWith('.js')),
  };
}

export function formatReport(report: BundleReport): string {
  const lines = ['| file | first screen | size KB | gzip KB |', '|---|---|---|---|'];
  for (const f of report.files) lines.push(`| ${f.name} | ${f.firstScreen ? 'yes' : 'lazy'} | ${kb(f.bytes)} | ${kb(f.gzipBytes)} |`);
  lines.push('');
  lines.push(`First screen JS: ${report.firstScreenJsGzipKb} KB gzip (budget ${FIRST_SCREEN_BUDGET_KB} KB: ${report.firstScreenJsGzipKb <= FIRST_SCREEN_BUDGET_KB ? 'met' : 'NOT met'}); CSS ${report.firstScreenCssGzipKb} KB gzip; all JS ${report.totalJsGzipKb} KB gzip.`);
  return lines.join('\n');
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]).replace(/\.ts$/, '.js').endsWith(path.join('bench', 'web-bundle.js'));
if (invokedDirectly) {
  const report = bundleReport();
  console.log(formatReport(report));
  if (report.firstScreenJsGzipKb > FIRST_SCREEN_BUDGET_KB) process.exitCode = 1;
}
