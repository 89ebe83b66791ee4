// sysdig 0.29.3's filter language: parse, compile to closures, analyse.
//
//   const f = compileFilter('proc.name=nginx and evt.type=write');
//   if (f.match(ctx)) ...                 // may throw FilterRuntimeError, as sysdig aborts
//   filterEventTypes(f)                   // Set of event type ids it can match, or 'any'
//
// compileFilter throws FilterError (message = sysdig's line) for what sysdig rejects.

export { compileFilter, registryBinder } from './compile';
export type { CompiledFilter, CompileOptions, Matcher } from './compile';
export { filterEventTypes, eventTypeMask, eventTypeCount } from './evttypes';
export { FilterError, FilterRuntimeError } from './errors';
export { parseFilter, exprBoolop } from './parser';
export type { CheckNode, ExprNode, FilterNode } from './parser';
export { CO, CO_TEXT, BO } from './types';
export type { FieldBinder, FilterField, Const } from './types';
export { globMatch } from './glob';
