/**
 * A simulated TrueConf Room (file-transfer API) on real sockets: WebSocket + HTTP, scripted,
 * seeded, with fault injection.
 *
 * @packageDocumentation
 */
export { startRoomSimulator } from './startRoomSimulator'
export { DEFAULT_SIMULATOR_OPTIONS } from './types'
export type {
  RoomSimulatorOptions,
  RoomSimulator,
  FileOffer,
  FileSend,
  GroundTruthEntry,
} from './types'
export { FAULT_TYPES } from './Fault'
export type { Fault, MalformedFrameKind, RedirectStatus } from './Fault'
export {
  Scenario,
  ScenarioStep,
  ScenarioInput,
  PresetRef,
  TransferTiming,
  FaultCodec,
  PRESET_NAMES,
  demoScenario,
  loadScenario,
  resolveScenario,
  parseScenario,
  parseScenarioValue,
} from './Scenario'
export { UPLOAD_PATH, DOWNLOAD_PATH_PREFIX, downloadPath } from './httpPaths'
