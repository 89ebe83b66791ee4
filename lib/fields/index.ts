// Public entry of the field catalog.

export * from './types';
export {
  FIELD_CLASSES, FIELDS_BY_NAME, resolveField, bindField, compileField, requireField, fieldText, fieldValue,
  renderFieldList, renderFieldListMarkdown, typeName, formatName,
} from './registry';
export type { ResolvedField, ResolveOptions } from './registry';
export { renderValue, FieldRenderError, timeString, iso8601, humanDuration, ipText } from './render';
export { setParamRenderer, paramText, argsText } from './params';
export type { ParamText, ParamRenderer } from './params';
export { setOutputTimeFlag } from './evt';
export { globMatch } from './glob';
