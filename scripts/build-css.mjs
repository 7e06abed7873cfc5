// Builds build/static/nlds/nlds.css: the NL Design System CSS this site uses, one minified file
// (docs/performance.md). Run by `make install` (the `css` target) whenever a template, a Python
// or JavaScript file, our CSS or an npm package changes; never edited by hand, never committed.
//
// 1. The component CSS of @utrecht/component-library-css, purged by PurgeCSS of every rule
//    whose classes no template, Python file (form widgets set classes) or script names.
// 2. The design tokens of @utrecht/design-tokens (theme.css): only the custom properties that a
//    kept rule, our own CSS or another kept token reads with var(--...).
// 3. Minified by lightningcss.
import { readFileSync, writeFileSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PurgeCSS } from "purgecss";
import { transform } from "lightningcss";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const apps = ["compass", "cms", "questionnaire", "exports"];
const out = join(root, "build", "static", "nlds", "nlds.css");
const pkg = (name) => JSON.parse(readFileSync(join(root, "node_modules", name, "package.json")));
const componentsCss = join(root, "node_modules/@utrecht/component-library-css/dist/index.css");
const tokensCss = join(root, "node_modules/@utrecht/design-tokens/dist/theme.css");

// Classes a template composes from pieces (`utrecht-alert--{% if ... %}error{% endif %}`):
// PurgeCSS cannot see them whole. tests/compass/test_css_bundle.py checks every class a
// template names literally, and these.
export const SAFELIST = [
  "utrecht-alert--error", "utrecht-alert--warning", "utrecht-alert--ok", "utrecht-alert--info",
  "utrecht-button--primary-action", "utrecht-button--secondary-action",
  "utrecht-form-field--checkbox", "utrecht-form-field--text", "utrecht-form-field--invalid",
  "utrecht-form-fieldset--html-fieldset", "utrecht-form-fieldset--invalid",
];

function files(dir, extensions, found = []) {
  for (const name of readdirSync(dir)) {
    if (name === "migrations" || name === "__pycache__") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, extensions, found);
    else if (extensions.some((ext) => name.endsWith(ext))) found.push(path);
  }
  return found;
}

const content = apps.flatMap((app) => files(join(root, app), [".html", ".py", ".js"]));
const ourCss = apps.flatMap((app) => files(join(root, app), [".css"]));

const [purged] = await new PurgeCSS().purge({
  content,
  css: [componentsCss],
  safelist: { standard: SAFELIST },
  // html and body selectors, :root and the theme class stay whatever the extractor finds.
  defaultExtractor: (text) => text.match(/[A-Za-z0-9_-]+/g) || [],
  fontFace: true,
  keyframes: true,
});

// Tokens: keep a custom property only when something that is kept reads it.
const readers = [purged.css, ...ourCss.map((f) => readFileSync(f, "utf8"))].join("\n");
const theme = readFileSync(tokensCss, "utf8");
const declarations = new Map();
for (const match of theme.matchAll(/^\s*(--[A-Za-z0-9_-]+)\s*:\s*([^;]*);/gm)) {
  declarations.set(match[1], match[2]);
}
const used = new Set();
const pending = [...readers.matchAll(/var\(\s*(--[A-Za-z0-9_-]+)/g)].map((m) => m[1]);
while (pending.length) {
  const name = pending.pop();
  if (used.has(name) || !declarations.has(name)) continue;
  used.add(name);
  for (const m of declarations.get(name).matchAll(/var\(\s*(--[A-Za-z0-9_-]+)/g)) pending.push(m[1]);
}
const tokens = `.utrecht-theme {\n${[...declarations]
  .filter(([name]) => used.has(name))
  .map(([name, value]) => `  ${name}: ${value};`)
  .join("\n")}\n}\n`;

const components = pkg("@utrecht/component-library-css");
const designTokens = pkg("@utrecht/design-tokens");
const banner =
  `/*! NL Design System: ${components.name} ${components.version} and ${designTokens.name} ` +
  `${designTokens.version} (${components.license}, Gemeente Utrecht and Frameless B.V.), only ` +
  "the rules and tokens this site uses; built by scripts/build-css.mjs, do not edit. */\n";
const { code } = transform({
  filename: "nlds.css",
  code: Buffer.from(banner + tokens + purged.css.replace(/@charset "UTF-8";/g, "")),
  minify: true,
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, code);
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(
  `build/static/nlds/nlds.css: ${kb(code.length)} (from ${kb(theme.length)} of tokens and ` +
    `${kb(readFileSync(componentsCss).length)} of components; ${used.size} of ` +
    `${declarations.size} tokens)`,
);
