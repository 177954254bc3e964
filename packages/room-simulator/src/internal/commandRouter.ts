import {
  type CommandMethod,
  type CommandReply,
  type FailureReply,
  type RequestOf,
  type SuccessReplyOf,
  decodeRoomRequest,
  fileIdToNumber,
  isCommandMethod,
} from '@org/file-events-codec'
import type { AuthThrottle } from './AuthThrottle'
import type { ClientConnection } from './ClientConnection'
import type { FileStore } from './FileStore'
import type { RoomState } from './RoomState'
import type { TokenStore } from './TokenStore'
import { newSessionToken } from './TokenStore'
import type { TransferEngine } from './TransferEngine'

/** What a command handler may use. */
export interface CommandContext {
  readonly client: ClientConnection
  readonly state: RoomState
  readonly engine: TransferEngine
  readonly files: FileStore
  readonly tokens: TokenStore
  readonly emit: (events: Parameters<TransferEngine['accepted']>[1]) => void
  readonly pin: string | undefined
  readonly conferenceId: string
  readonly httpPort: () => number
  readonly log: (line: string) => void
  /** A client has authenticated (the scenario starts on the first). */
  readonly onAuthenticated: () => void
  /** With a PIN: the attempts checked per remote address. */
  readonly authThrottle: AuthThrottle
  /** With a PIN: a connection is closed (1008) after this many failed attempts. */
  readonly maxAuthFailures: number
}

type ReplyFields<M extends CommandMethod> = Omit<
  SuccessReplyOf<M>,
  'method' | 'requestId' | 'result'
>

/** A handler's answer: the reply's own fields (and what to do once it is sent), or a failure. */
export type Answer<M extends CommandMethod> =
  | { readonly reply: ReplyFields<M>; readonly then?: () => void }
  | { readonly error: string; readonly resultCode?: number; readonly then?: () => void }

/**
 * One handler per command the codec models, keyed by method: a command added to the codec's table
 * and not answered here is a type error.
 */
export type CommandHandlers = {
  readonly [M in CommandMethod]: (request: RequestOf<M>, ctx: CommandContext) => Answer<M>
}

const done = <M extends CommandMethod>(then?: () => void): Answer<M> =>
  ({ reply: {}, ...(then !== undefined ? { then } : {}) }) as Answer<M>

/** A failure from `RoomState`, or the reply when it succeeded. */
const fromResult = <M extends CommandMethod, A>(
  result: { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: string },
  answer: (value: A) => Answer<M>,
): Answer<M> => (result.ok ? answer(result.value) : { error: result.error })

/** Why an `auth` is refused: the reply's error and the log's words. */
const AUTH_REFUSALS = {
  throttled: {
    error: 'too many authentication attempts from this address: try again in a second',
    log: 'too many attempts from its address',
  },
  unsecured: { error: 'The room is PIN-protected: use "secured" auth', log: 'PIN required' },
  wrongPin: { error: 'Wrong credentials', log: 'wrong PIN' },
} as const

/** Counts a failed `auth` on the connection, which is closed once it has failed too often. */
const authFailed = (ctx: CommandContext): void => {
  const { client } = ctx
  client.authFailures++
  if (client.authFailures >= ctx.maxAuthFailures)
    client.evict(
      `${client.authFailures} failed authentication attempts`,
      'too many failed authentication attempts',
    )
}

export const commandHandlers: CommandHandlers = {
  auth: (request, ctx) => {
    const { client } = ctx
    if (ctx.pin !== undefined) {
      const secured = request.type === 'secured'
      // Over the address's budget the PIN is not even compared: a guess then learns nothing.
      const refusal = !ctx.authThrottle.tryAttempt(client.remoteAddress)
        ? AUTH_REFUSALS.throttled
        : !secured
          ? AUTH_REFUSALS.unsecured
          : !('credentials' in request) || request.credentials !== ctx.pin
            ? AUTH_REFUSALS.wrongPin
            : undefined
      if (refusal !== undefined) {
        ctx.log(`client ${client.id}: auth refused (${refusal.log})`)
        return { error: refusal.error, resultCode: 3, then: () => authFailed(ctx) }
      }
      ctx.authThrottle.giveBack(client.remoteAddress)
    }
    client.authenticated = true
    return {
      reply: { previleges: 2, token: newSessionToken(), tokenForHttpServer: ctx.tokens.issue() },
      then: () => {
        ctx.log(`client ${ctx.client.id}: authenticated`)
        ctx.onAuthenticated()
        ctx.client.authSucceeded()
      },
    }
  },
  setUsedApiVersion: () => done(),
  getTokenForHttpServer: (_request, ctx) => ({ reply: { token: ctx.tokens.issue() } }),
  getAppState: (_request, ctx) => {
    // Real clients read more of this reply than the codec models; the simulator answers them minimally.
    const others = {
      desktopSharing: { running: false },
      broadcastPicture: { running: false },
      audioCaptureTest: false,
    }
    return { reply: { embeddedHttpPort: ctx.httpPort(), appState: 3, ...others } }
  },
  sendFile: (request, ctx) =>
    fromResult(
      ctx.state.sendToPeer(fileIdToNumber(request.fileId), request.callId ?? request.peerId ?? ''),
      (value) => ({
        reply: { sentFileRequestId: value.record.fileRequestId },
        then: () => ctx.engine.outbound(value.record, value.events),
      }),
    ),
  sendFileToConference: (request, ctx) =>
    fromResult(
      ctx.state.sendToConference(fileIdToNumber(request.fileId), ctx.conferenceId),
      (value) => ({
        reply: { sentFileRequestId: value.record.fileRequestId },
        then: () => ctx.engine.outbound(value.record, value.events),
      }),
    ),
  acceptIncomingFileRequest: (request, ctx) =>
    fromResult(ctx.state.accept(request.fileRequestId), (value) =>
      done(() => ctx.engine.accepted(request.fileRequestId, value.events)),
    ),
  rejectIncomingFileRequest: (request, ctx) =>
    fromResult(ctx.state.reject(request.fileRequestId), (value) =>
      done(() => ctx.engine.rejected(request.fileRequestId, value.events)),
    ),
  getFileRequestInfo: (request, ctx) =>
    fromResult(ctx.state.info(request.fileRequestId), (info) => ({ reply: info })),
  getIncomingFilesRequests: (_request, ctx) => ({
    reply: { incomingFilesRequests: ctx.state.incomingItems() },
  }),
  getOutgoingFilesRequests: (_request, ctx) => ({
    reply: { outgoingFilesRequests: ctx.state.outgoingItems() },
  }),
  getFileTransferHistory: (_request, ctx) => ({
    reply: { filesRequests: ctx.state.historyItems() },
  }),
  getFileList: (_request, ctx) => ({ reply: { fileList: ctx.state.fileList() } }),
  getFileTransferAvailability: (_request, ctx) => ({
    reply: { availability: ctx.state.availability },
  }),
  clearFileTransferHistory: (request, ctx) => {
    const { events, removed } = ctx.state.clearHistory(request.deleteFilesFromDisk === true)
    for (const file of removed) ctx.files.remove(file)
    return done(() => ctx.emit(events))
  },
  deleteFileTransferFile: (request, ctx) =>
    fromResult(ctx.state.deleteFile(fileIdToNumber(request.fileId)), (value) => {
      if (value.removed !== undefined) ctx.files.remove(value.removed)
      return done(() => ctx.emit(value.events))
    }),
}

/** Commands no codec covers (they are not file commands), answered minimally because real clients send them after auth. */
const otherHandlers: Readonly<Record<string, () => Record<string, unknown>>> = {
  getSettings: () => ({ settings: [] }),
  getSystemInfo: () => ({
    authInfo: { peerId: 'room@simulator.local', peerDn: 'Simulated Room' },
    productName: 'room-simulator',
  }),
  getMonitorsInfo: () => ({ monitors: [], currentMonitor: 0 }),
}

/** Commands a client may send before `auth`. */
const BEFORE_AUTH: ReadonlySet<string> = new Set<CommandMethod>(['auth', 'setUsedApiVersion'])

const fail = (
  client: ClientConnection,
  method: string,
  requestId: string,
  error: string,
  resultCode?: number,
): void => {
  const value: FailureReply<string> = {
    method,
    requestId,
    result: false,
    error,
    ...(resultCode !== undefined ? { resultCode } : {}),
  }
  client.sendReply(JSON.stringify(value))
}

const answer = <M extends CommandMethod>(
  method: M,
  request: RequestOf<M>,
  requestId: string,
  ctx: CommandContext,
): void => {
  const result = commandHandlers[method](request, ctx)
  if ('error' in result) {
    fail(ctx.client, method, requestId, result.error, result.resultCode)
    result.then?.()
    return
  }
  const reply = { method, requestId, result: true, ...result.reply } as SuccessReplyOf<M>
  ctx.client.sendReply(JSON.stringify(reply))
  result.then?.()
}

/**
 * Answers one text frame: validated by the codec, refused before `auth` except for `auth` and
 * `setUsedApiVersion`, then handed to the handler of its method.
 */
export const routeFrame = (frame: string, ctx: CommandContext): void => {
  const decoded = decodeRoomRequest(frame)
  if (decoded._tag === 'Left') {
    const f = decoded.left
    fail(ctx.client, f.method ?? '', f.requestId ?? '', `invalid request: ${f.messages.join('; ')}`)
    return
  }
  const request = decoded.right
  const requestId = request.requestId ?? ''
  if (!ctx.client.authenticated && !BEFORE_AUTH.has(request.method)) {
    fail(
      ctx.client,
      request.method,
      requestId,
      `not authorized: send "auth" before "${request.method}"`,
    )
    return
  }
  if (isCommandMethod(request.method)) {
    // A known command's frame was validated by that command's codec, so the cast is sound.
    answer(request.method, request as RequestOf<typeof request.method>, requestId, ctx)
    return
  }
  const other = Object.hasOwn(otherHandlers, request.method)
    ? otherHandlers[request.method]
    : undefined
  if (other === undefined) {
    fail(ctx.client, request.method, requestId, `unknown command "${request.method}"`)
    return
  }
  const value: CommandReply = { method: request.method, requestId, result: true, ...other() }
  ctx.client.sendReply(JSON.stringify(value))
}
