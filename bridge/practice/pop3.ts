// POP3 of the practice server (RFC 1939 + CAPA, STLS, AUTH PLAIN). The parts live in ./pop3/.
export { startPop3Server } from './pop3/server.ts';
