// A Stryker ignorer (stryker.config.mjs `ignorers: ['log-lines']`): no mutants inside a call to a logger (`log(…)`,
// `this.options.log(…)`). Log lines are the operator's text; what the handler does is tested, what it says to its log
// is not (the one rule about logs, no API key or IBAN in them, is tested directly).
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const isLogger = (callee) =>
  (callee.type === 'Identifier' && callee.name === 'log') ||
  (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'log');

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'log-lines', {
    shouldIgnore(path) {
      return path.isCallExpression() && isLogger(path.node.callee) ? 'A log line: the operator’s text, not behaviour.' : undefined;
    },
  }),
];
