import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parser } from 'stream-json';

/**
 * A COCO annotation file read token by token (stream-json), never held whole: a million annotations
 * cost their boxes, not the file's text and its parsed tree. Only the fields the planner uses are
 * assembled, each element of "images", "annotations" and "categories" on its own; everything else is
 * skipped as it streams by. Strings arrive in chunks and are capped; nesting is capped.
 */
export type CocoSection = 'images' | 'annotations' | 'categories';

/** One element of a section: its scalar fields (strings capped) and, for bbox, its numbers. */
export interface CocoElement {
  /** null when the element is not an object */
  fields: Map<string, CocoScalar> | null;
  /** bbox as given: numbers, or null when it is not an array of 4 numbers */
  bbox: number[] | null;
}

export type CocoScalar = string | number | boolean | null | typeof tooLong | typeof notScalar;

/** A string field longer than maxStringChars: dropped, never kept. */
export const tooLong: unique symbol = Symbol('too long');
/** A field whose value is an object or array (other than bbox). */
export const notScalar: unique symbol = Symbol('not a scalar');

export const maxStringChars = 4096;
export const maxNestingDepth = 64;

export class CocoFileError extends Error {}

/** The bare problem of a stream-json error ("expected ','"); its messages never quote the input. */
function parserProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Parser (cannot parse input: |has )/, '');
}

type Token = { name: string; value?: unknown };

/** Token consumer: tracks depth, the section being read, and assembles one element at a time. */
class CocoTokenReader {
  depth = 0;
  sawSection = new Set<CocoSection>();
  private topKey: string | null = null;
  private section: CocoSection | null = null;
  private element: CocoElement | null = null;
  private fieldKey: string | null = null;
  private bbox: number[] | null = null;
  private bboxValid = true;
  private text: string | null = null;
  private textTooLong = false;

  constructor(private readonly onElement: (section: CocoSection, element: CocoElement) => void) {}

  consume(token: Token): void {
    switch (token.name) {
      case 'startObject':
      case 'startArray':
        this.open(token.name === 'startArray');
        return;
      case 'endObject':
      case 'endArray':
        this.close();
        return;
      case 'keyValue':
        if (this.depth === 1) this.topKey = String(token.value);
        else if (this.depth === 3 && this.element) this.fieldKey = String(token.value);
        return;
      case 'startString':
        this.text = '';
        this.textTooLong = false;
        return;
      case 'stringChunk':
        if (this.text === null || this.textTooLong) return;
        if (this.text.length + String(token.value).length > maxStringChars) {
          this.textTooLong = true;
          this.text = '';
        } else this.text += String(token.value);
        return;
      case 'endString': {
        const value: CocoScalar = this.textTooLong ? tooLong : (this.text ?? '');
        this.text = null;
        this.scalar(value);
        return;
      }
      case 'numberValue':
        this.scalar(Number(token.value));
        return;
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        this.scalar(token.value as CocoScalar);
        return;
      default:
        return;
    }
  }

  private open(isArray: boolean): void {
    if (this.depth === 0 && isArray) throw new CocoFileError('the top level is an array, not a COCO object');
    this.depth++;
    if (this.depth > maxNestingDepth) throw new CocoFileError(`nested deeper than ${maxNestingDepth} levels`);
    if (this.depth === 2 && isArray && (this.topKey === 'images' || this.topKey === 'annotations' || this.topKey === 'categories')) {
      this.section = this.topKey;
      this.sawSection.add(this.section);
    } else if (this.depth === 3 && this.section) {
      this.element = { fields: isArray ? null : new Map(), bbox: null };
      this.fieldKey = null;
    } else if (this.depth === 4 && this.element?.fields && this.fieldKey !== null) {
      if (this.fieldKey === 'bbox' && isArray) {
        this.bbox = [];
        this.bboxValid = true;
      } else this.element.fields.set(this.fieldKey, notScalar);
    } else if (this.depth === 5 && this.bbox) this.bboxValid = false;
  }

  private close(): void {
    if (this.depth === 4 && this.bbox && this.element) {
      this.element.bbox = this.bboxValid && this.bbox.length === 4 ? this.bbox : null;
      this.bbox = null;
    } else if (this.depth === 3 && this.element && this.section) {
      this.onElement(this.section, this.element);
      this.element = null;
    } else if (this.depth === 2) this.section = null;
    this.depth--;
  }

  private scalar(value: CocoScalar): void {
    if (this.depth === 2 && this.section) this.onElement(this.section, { fields: null, bbox: null });
    else if (this.depth === 3 && this.element?.fields && this.fieldKey !== null) this.element.fields.set(this.fieldKey, value);
    else if (this.depth === 4 && this.bbox) {
      if (typeof value === 'number' && Number.isFinite(value) && this.bbox.length < 4) this.bbox.push(value);
      else this.bboxValid = false;
    }
  }
}

/**
 * Streams file, calling onElement for every element of its images, annotations and categories arrays.
 * Resolves with the sections it held; rejects with a CocoFileError naming the problem (no file contents).
 */
export async function streamCocoFile(file: string, onElement: (section: CocoSection, element: CocoElement) => void): Promise<Set<CocoSection>> {
  const reader = new CocoTokenReader(onElement);
  const sink = new Writable({
    objectMode: true,
    highWaterMark: 1024,
    write(token: Token, _encoding, done) {
      try {
        reader.consume(token);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  try {
    await pipeline(
      createReadStream(file, { highWaterMark: 1 << 20 }),
      // keys and numbers packed (one token each: the fast path); strings streamed, so a huge one is never held whole
      parser.asStream({ packKeys: true, streamKeys: false, packNumbers: true, streamNumbers: false, packStrings: false, streamStrings: true }),
      sink,
    );
  } catch (error) {
    if (error instanceof CocoFileError) throw error;
    throw new CocoFileError(`not valid JSON (${parserProblem(error)})`);
  }
  return reader.sawSection;
}
