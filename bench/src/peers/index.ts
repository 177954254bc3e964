import { decodeWithAjv } from './ajvPeer'
import type { PeerDecode } from './eventFields'
import { decodeWithIoTs } from './ioTsPeer'
import { decodeWithValibot } from './valibotPeer'
import { decodeWithZod } from './zodPeer'

export type DecodePeerName = 'ajv' | 'zod' | 'valibot' | 'ioTs'

/** The validators the codec is measured against, by the key they have in `latest.json`. */
export const DECODE_PEERS: Readonly<Record<DecodePeerName, PeerDecode>> = {
  ajv: decodeWithAjv,
  zod: decodeWithZod,
  valibot: decodeWithValibot,
  ioTs: decodeWithIoTs,
}

/** How each peer is named in printed output and the README. */
export const PEER_LABELS: Readonly<Record<DecodePeerName | 'rxjsZodMap', string>> = {
  ajv: 'ajv 8 (compiled JSON Schema)',
  zod: 'zod 4',
  valibot: 'valibot 1',
  ioTs: 'plain io-ts decode',
  rxjsZodMap: 'rxjs webSocket + zod + Map',
}
