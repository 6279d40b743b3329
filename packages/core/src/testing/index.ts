/**
 * Parts for testing agents without a model: a scripted backend that streams a list of
 * responses (honouring abort signals, with configurable delays) and a simulated clock.
 *
 * @module @reins/core/testing
 */
export {
  createScriptedBackend,
  type ScriptedBackend,
  type ScriptedBackendSettings,
  type ScriptedResponse,
  type ScriptStep,
} from './scripted-backend.js';
export { createSimulatedClock, type SimulatedClock } from './simulated-clock.js';
