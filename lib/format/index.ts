// sysdig-compatible output: -p formats, the default line and its presets,
// -j, the -t time modes, and the rendering of event parameters under
// -A / -x / -X / -b / -v. Importing this module also installs the parameter
// renderer the field catalog uses for evt.arg.X, evt.buffer and friends.

export {
  compileFormat, catalogCompiler, formatForPrintArg, unescapeFormat, FormatError,
  DEFAULT_FORMAT, DEFAULT_FORMAT_TTY, CONTAINER_FORMAT, K8S_FORMAT, MESOS_FORMAT, PLUGIN_FORMAT, PLUGIN_FORMAT_TTY,
  COLOR_RESET,
} from './formatter';
export type { CompiledFormat, FormatOptions, FieldCompiler } from './formatter';
export {
  BufEnc, setParamFormat, getParamFormat, resetParamState, renderParam, renderParamInto, paramDisplay, renderArgs,
  eventBufferText, bufferText, visibleParamCount, visibleParamIndex, sockaddrText, socktupleText, fdTag, fdResolved,
} from './params';
export type { ParamFormat, ParamParts } from './params';
export { isTimeMode, clockText } from './time';
export type { TimeMode } from './time';
export { jsonQuote, jsonFieldValue, JsonTypeError } from './json';
