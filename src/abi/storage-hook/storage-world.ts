// The smg:storage world a storage hook must export: both interfaces (SMG reference §4.2,
// wit/smg-storage.wit), in the form jco renders them; checked at load.
import type { ExpectedWorld } from '../smg-component/component/world-check.js';
import { STORAGE_OPERATIONS } from './types.js';

export const BEFORE_INTERFACE = 'smg:storage/storage-hook-before';
export const AFTER_INTERFACE = 'smg:storage/storage-hook-after';
export const BEFORE_EXPORT = `${BEFORE_INTERFACE}#before`;
export const AFTER_EXPORT = `${AFTER_INTERFACE}#after`;

const COMMON = {
  ContextEntry: 'export interface ContextEntry { key: string, value: string, }',
  Operation: `export type Operation = ${STORAGE_OPERATIONS.map((op) => `'${op}'`).join(' | ')};`,
  ExtraColumn: 'export interface ExtraColumn { name: string, value: string, }',
};

export const STORAGE_WORLD: ExpectedWorld = {
  name: 'smg:storage/storage-hook',
  requireAll: true,
  interfaces: [
    {
      name: BEFORE_INTERFACE,
      wit: 'before: func(op: operation, context: list<context-entry>, payload: string) -> before-result',
      jsName: 'before',
      signature: '(Operation, Array<ContextEntry>, string): BeforeResult',
      types: {
        ...COMMON,
        BeforeResult: 'export type BeforeResult = BeforeResultDoContinue | BeforeResultReject;',
        BeforeResultDoContinue: "export interface BeforeResultDoContinue { tag: 'do-continue', val: Array<ExtraColumn>, }",
        BeforeResultReject: "export interface BeforeResultReject { tag: 'reject', val: string, }",
      },
    },
    {
      name: AFTER_INTERFACE,
      wit: 'after: func(op: operation, context: list<context-entry>, payload: string, result-json: string, extra: list<extra-column>) -> list<extra-column>',
      jsName: 'after',
      signature: '(Operation, Array<ContextEntry>, string, string, Array<ExtraColumn>): Array<ExtraColumn>',
      types: COMMON,
    },
  ],
};
