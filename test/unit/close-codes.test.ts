/**
 * The close-code table (protocol/close-codes.ts): what each close of the node's WebSocket makes the
 * connection do, given whether the node had taken the connection and whether it keeps sessions.
 */
import assert from 'node:assert/strict';
import { describe, test } from '../helpers/node-test.js';
import { CloseDecision, closeDecision, closeRow, type CloseContext } from '../../src/protocol/close-codes.js';

const taken: CloseContext = { accepted: true, resumable: true };
const takenNoResume: CloseContext = { accepted: true, resumable: false };
const notTaken: CloseContext = { accepted: false, resumable: true };

describe('close codes', () => {
  test('what real servers send on a restart never stops the connection: Lavalink 1001, NodeLink 1000, a killed process 1006', () => {
    for (const code of [1000, 1001, 1006, 1011, 1012]) {
      for (const context of [taken, takenNoResume, notTaken, { accepted: false, resumable: false }]) {
        assert.notEqual(closeDecision(code, context), CloseDecision.GiveUp, `${code} ${JSON.stringify(context)}`);
      }
    }
  });

  test('a link that broke (1005, 1006) while the node keeps the session: resume', () => {
    assert.equal(closeDecision(1006, taken), CloseDecision.Resume);
    assert.equal(closeDecision(1005, taken), CloseDecision.Resume);
  });

  test('a connection the peer ended on purpose, or with an error of that connection: retry', () => {
    for (const code of [1000, 1001, 1002, 1003, 1007, 1009, 1010, 1011, 1012, 1013, 1014]) assert.equal(closeDecision(code, taken), CloseDecision.Retry, String(code));
  });

  test('a node that cannot resume lost our players with any close after it took the connection: failover', () => {
    for (const code of [1000, 1001, 1006, 1008, 1011, 4000, 4999]) assert.equal(closeDecision(code, takenNoResume), CloseDecision.Failover, String(code));
  });

  test('nothing the node sent yet: no session to lose, so retry (a handshake that failed is 1006)', () => {
    for (const code of [1000, 1001, 1006, 1011, 4001, 4999, 3000]) assert.equal(closeDecision(code, notTaken), CloseDecision.Retry, String(code));
  });

  test('a refusal before the node took the connection (1008 policy, 4000 Lavalink <3.3 password) gives up; after it, it does not', () => {
    assert.equal(closeDecision(1008, notTaken), CloseDecision.GiveUp);
    assert.equal(closeDecision(4000, notTaken), CloseDecision.GiveUp);
    assert.equal(closeDecision(4000, { accepted: false, resumable: false }), CloseDecision.GiveUp);
    assert.equal(closeDecision(1008, taken), CloseDecision.Retry);
    assert.equal(closeDecision(4000, taken), CloseDecision.Retry);
  });

  test('codes no row names are an ended connection, tried again', () => {
    for (const code of [-1, 0, 999, 1004, 1015, 2000, 3000, 4001, 4006, 4999, 5000, Number.NaN]) {
      assert.equal(closeRow(code).name, 'unknown code', String(code));
      assert.equal(closeDecision(code, taken), CloseDecision.Retry, String(code));
    }
  });

  test('every named row has a name', () => {
    for (const code of [1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 4000]) assert.notEqual(closeRow(code).name, 'unknown code', String(code));
  });
});
