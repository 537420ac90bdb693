// A Stryker "ignorer" plugin (npm run test:mutation): mutants inside a structured log call
// (`logger.info("thread.opened", { … })`, `ctx.logger.warn(…)`, `log.error(…)`) are ignored.
// Log lines are for operators; no user sees them, and asserting their wording in tests would pin
// an implementation detail. Plain JavaScript because Stryker loads plugins in its worker
// processes without a TypeScript loader.

const LEVELS = new Set(["debug", "info", "warn", "error"]);

/** True for `logger`, `log`, or any `<expr>.logger`. */
function isLogger(node) {
  if (node.type === "Identifier") return node.name === "logger" || node.name === "log";
  return (
    node.type === "MemberExpression" &&
    !node.computed &&
    node.property.type === "Identifier" &&
    node.property.name === "logger"
  );
}

const ignoreLogCalls = {
  shouldIgnore(path) {
    const node = path.node;
    if (node.type !== "CallExpression" || node.callee.type !== "MemberExpression") return undefined;
    const { object, property, computed } = node.callee;
    if (computed || property.type !== "Identifier" || !LEVELS.has(property.name)) return undefined;
    return isLogger(object)
      ? "A structured log call: operators read it, users never see it"
      : undefined;
  },
};

export const strykerPlugins = [{ kind: "Ignore", name: "log-calls", value: ignoreLogCalls }];
