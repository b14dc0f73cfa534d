// The lesson checker's "that means ..." clauses come from the protocol catalogs (one explanation
// source per reply, issue 13): this module only re-exports them for the lessons' importers.
export { explainImapStatus, explainPop3Status, explainSmtp } from '../protocols/explain.ts';
