// From README.md; rewritten by test/examples.test.ts (UPDATE_EXAMPLES=1), do not edit.
import { type SuccessReplyOf, replyCodecs } from '../../src'

const sentFileRequestId = (json: unknown): string | undefined => {
  const result = replyCodecs.sendFile.decode(json)
  if (result._tag === 'Left' || !result.right.result) return undefined
  const reply: SuccessReplyOf<'sendFile'> = result.right
  return reply.sentFileRequestId
}
export { sentFileRequestId }
