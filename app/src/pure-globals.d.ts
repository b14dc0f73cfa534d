// The few web-platform globals the pure modules may use: each exists, with the same behaviour, in
// every browser and in Node.js (WHATWG Encoding, URL and Web Crypto standards). Declared here
// instead of loading the DOM or Node libraries, so that the pure type check (tsconfig.pure.json)
// still rejects `document`, `window`, `Buffer` and `node:` imports.

interface TextEncoder {
  encode(input?: string): Uint8Array;
}
declare var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };

interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
interface TextDecodeOptions {
  stream?: boolean;
}
interface TextDecoder {
  readonly encoding: string;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: TextDecodeOptions): string;
}
declare var TextDecoder: { prototype: TextDecoder; new (label?: string, options?: TextDecoderOptions): TextDecoder };

interface URLSearchParams {
  get(name: string): string | null;
  has(name: string): boolean;
  set(name: string, value: string): void;
  append(name: string, value: string): void;
  toString(): string;
  forEach(callback: (value: string, key: string) => void): void;
  keys(): IterableIterator<string>;
}
declare var URLSearchParams: {
  prototype: URLSearchParams;
  new (init?: string | Record<string, string> | [string, string][]): URLSearchParams;
};

declare var crypto: { getRandomValues<T extends ArrayBufferView>(array: T): T };
