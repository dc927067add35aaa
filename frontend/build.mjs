// Copies the GOV.UK Frontend and MOJ Frontend distributions from node_modules into
// csafe/static/build, so Django's static files (and whitenoise) serve them from our own origin.
// The precompiled stylesheets refer to their fonts and images at the site root (/assets/...);
// we rewrite those references to be relative to the stylesheet, where we copy the assets.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "csafe", "static", "build");

const packages = [
  { name: "govuk", dist: "node_modules/govuk-frontend/dist/govuk", css: "govuk-frontend.min.css", js: "govuk-frontend.min.js" },
  { name: "moj", dist: "node_modules/@ministryofjustice/frontend/moj", css: "moj-frontend.min.css", js: "moj-frontend.min.js" },
];

rmSync(out, { recursive: true, force: true });
for (const pkg of packages) {
  const source = join(root, pkg.dist);
  const target = join(out, pkg.name);
  mkdirSync(target, { recursive: true });
  cpSync(join(source, "assets"), join(target, "assets"), { recursive: true });
  cpSync(join(source, pkg.js), join(target, pkg.js));
  const css = readFileSync(join(source, pkg.css), "utf8")
    .replaceAll("url(/assets/", "url(assets/")
    .replace(/\/\*# sourceMappingURL=.*?\*\//g, "");
  writeFileSync(join(target, pkg.css), css);
  const js = readFileSync(join(target, pkg.js), "utf8").replace(/\/\/# sourceMappingURL=.*$/m, "");
  writeFileSync(join(target, pkg.js), js);
}
console.log(`front-end assets copied to ${out}`);
