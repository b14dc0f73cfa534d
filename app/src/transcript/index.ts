// app/src/transcript: the event log of one connection, its exports and imports, and the replay
// cursor. Pure TypeScript (no DOM, no Node APIs), so the same code runs in the browser and in tests.
//
// For the UI (console, sequence diagram, replay screen), the whole API in one place:
//
// Recording (console, live):
//   const rec = createRecorder({ protocol: 'smtp', target: 'practice/submission', client: 'mailwire console' });
//   rec.sent(bytes)            every binary frame the app sends (a typed line, the message after DATA)
//   rec.received(bytes)        every binary frame from the bridge, as it came
//   rec.control(message)       every text frame from the bridge: opened, tls, error, closed
//   rec.transcript()           a snapshot: { version, meta, events[] }
//   Credentials (AUTH payloads, IMAP LOGIN password, POP3 PASS, ...) are marked as `secret`
//   ranges of the sent event as they are recorded; nothing is masked in memory.
//
// Steps (diagram arrows, replay granularity):
//   splitSteps(transcript) -> Step[]   one step per command + its reply; also 'connect' (greeting),
//     'tls' (draw as a band from here on: step.tls is true inside TLS), 'error', 'closed' and
//     'server' (unsolicited). Step: { index, kind, label (command, secrets masked), status ('250',
//     'OK', '+OK', ...), statusLine, complete, tls, sent/received: byte ranges of events, events, t }.
//   partsText(events, step.received) -> the reply text of a step (latin1; masked unless told not to).
//
// Replay (no server needed):
//   let c = createCursor(steps); c = next(c) / previous(c) / first(c) / last(c) / goTo(c, i)
//   moveForKey(event.key) -> 'next' | 'previous' | 'first' | 'last' | null; then move(c, m)
//   selectedStep(c), visibleAt(c) -> { steps, events, parts } (what the console and diagram show)
//   stepOfEvent(steps, eventIndex, byteOffset) -> step index (click on a console line -> select)
//   EXAMPLES / EXAMPLE_NAMES / loadExample(name) : the bundled SMTP, IMAP and POP3 recordings.
//
// Exports (all mask credentials as ******** unless { reveal: true }):
//   exportJson(t, opts) / importJson(text) -> { ok, transcript } | { ok: false, error: { code, message } }
//   exportRfcText(t, opts)  "C: " / "S: " lines (RFC 5321 Appendix D)
//   exportSwaksText(t, opts) swaks hints: -> <- (clear), ~> <~ (TLS), <** error reply, === info, *** error
//   exportPythonScript(t, opts) a python3 script (smtplib / imaplib / poplib) that redoes the session
//   exportCurl(t, opts) -> { ok, command } | { ok: false, code: 'CURL_CANNOT_EXPRESS', message }
//   Scripts and curl take opts.endpoint = { host, port } to aim at another server than the one
//   recorded (for a bundled example: the practice endpoint of the running bridge).
//
// Links: buildLink({ kind: 'example', example: 'smtp-first', step: 4 }) -> '#/replay/example/smtp-first?step=4'
//   parseLink(location.hash, EXAMPLE_NAMES) -> { ok, link } | { ok: false, error: LinkError (code + sentence) }
//   Link steps count from 1; the cursor counts from 0 (goTo(c, link.step - 1)).

export * from './model.ts';
export { createRecorder, type Recorder, type RecorderOptions } from './recorder.ts';
export {
  MASK,
  maskTranscript,
  forExport,
  createSecretDetector,
  type RevealOption,
  type SecretDetector,
} from './mask.ts';
export { splitSteps, partsText, type Step, type StepKind, type StepPart } from './steps.ts';
export * from './cursor.ts';
export { exportJson, toJsonValue, type TranscriptJson } from './export-json.ts';
export {
  importJson,
  importJsonValue,
  type ImportError,
  type ImportErrorCode,
  type ImportResult,
} from './import-json.ts';
export { exportRfcText, exportSwaksText, printableLine } from './export-text.ts';
export { exportPythonScript } from './export-script.ts';
export type { ScriptOptions } from './replay-facts.ts';
export { exportCurl, type CurlResult } from './export-curl.ts';
export { buildLink, parseLink, LinkError, type ShareLink, type LinkErrorCode, type LinkResult } from './link.ts';
export { EXAMPLES, EXAMPLE_NAMES, loadExample, type BundledExample } from './examples/index.ts';
