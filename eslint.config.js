// ESLint flat config: typescript-eslint's strict type-aware rules on every TypeScript file of the project
// (src/, test/, bench/, scripts/*.ts), plain recommended rules on the few .js/.mjs scripts.
// Start strict and stay strict (design notes §7.10–7.12): a rule is relaxed only with a reason written next to it,
// and an inline `eslint-disable-next-line rule -- reason` should say why (unused disables are errors).
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

/** The Node globals the plain-JS scripts use (the `globals` package is not a dependency). */
const NODE_GLOBALS = {
  process: "readonly",
  console: "readonly",
  Buffer: "readonly",
  URL: "readonly",
  URLSearchParams: "readonly",
  setTimeout: "readonly",
  clearTimeout: "readonly",
  performance: "readonly",
  fetch: "readonly",
};

export default defineConfig(
  {
    ignores: ["dist/**", "node_modules/**", "coverage/**", ".localvpc/**", "model/**", "data/**", "src/protocol/model/shapes.ts"],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  js.configs.recommended,
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { args: "after-used", argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "all", caughtErrorsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-import-type-side-effects": "error",
      // node:test's describe()/it()/test() return promises that the runner itself awaits.
      "@typescript-eslint/no-floating-promises": [
        "error",
        { allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["describe", "it", "test", "suite"] }] },
      ],
      // Numbers and booleans format predictably in messages (AWS error texts embed counts and limits);
      // nullish values, objects and arrays in templates remain errors.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      // `() => server.close()` callbacks and `return f()` inside a function typed `void` are idiomatic, not confusing.
      // (`return voidCall()` inside an async function is still reported.)
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
      // Off, deliberately: with noUncheckedIndexedAccess the code base uses `!` after checks the compiler cannot
      // follow (regex groups after a match, model shapes known to exist, `arr[i]!` inside bounds). Banning it
      // would trade each `!` for an equally unchecked `as T` or a dead runtime branch.
      "@typescript-eslint/no-non-null-assertion": "off",
      // Spreading a string into characters is only done on ASCII (zone letters, hex digits); keep the rule for
      // the real mistakes it catches (spreading a string, Map or Promise into an object).
      "@typescript-eslint/no-misused-spread": ["error", { allow: [{ from: "lib", name: "string" }] }],
      // Named exports only (CONTRIBUTING.md conventions).
      "no-restricted-syntax": ["error", { selector: "ExportDefaultDeclaration", message: "Use named exports (CONTRIBUTING.md)." }],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: NODE_GLOBALS },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { ...NODE_GLOBALS, module: "writable", require: "readonly", __dirname: "readonly" },
    },
  },
);
