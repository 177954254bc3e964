import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Socket } from 'node:net'
import { type RoomSimulator, startRoomSimulator } from '../src'
import { bytesOf, upload, uploadedFileId } from './helpers/http'
import { closedBy, descriptorsInto, eventually, openSocket } from './helpers/sockets'
import { TestClient } from './helpers/TestClient'

const MiB = 1024 * 1024
const BOUNDARY = 'abort-test-boundary'
const PART_HEAD = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`
const PART_TAIL = `\r\n--${BOUNDARY}--\r\n`

/** Writes `data` following backpressure. */
const writeAll = async (socket: Socket, data: Buffer): Promise<void> => {
  for (let at = 0; at < data.length; at += 64 * 1024) {
    const chunk = data.subarray(at, at + 64 * 1024)
    if (!socket.write(chunk))
      await new Promise<void>((resolve) => socket.once('drain', () => resolve()))
  }
}

const storedBytes = (dir: string): number =>
  readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0)

/**
 * Starts an upload of `bytes` of file content on a raw socket and sends all of it but the closing
 * boundary: chunked (`Transfer-Encoding: chunked`), or with a `Content-Length` that counts the
 * whole body. Resolves once the simulator has written the bytes to its storage folder.
 */
const startUpload = async (
  room: RoomSimulator,
  token: string,
  bytes: number,
  framing: 'chunked' | 'length',
): Promise<Socket> => {
  const before = storedBytes(room.storageDir)
  const socket = await openSocket(room.urls.http)
  socket.on('error', () => undefined)
  const head = Buffer.from(PART_HEAD)
  const content = Buffer.from(bytesOf(bytes))
  const length = head.length + content.length + PART_TAIL.length
  socket.write(
    `POST /files/?token=${token} HTTP/1.1\r\nHost: room\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
      (framing === 'chunked'
        ? 'Transfer-Encoding: chunked\r\n\r\n'
        : `Content-Length: ${length}\r\n\r\n`),
  )
  const body = Buffer.concat([head, content])
  if (framing === 'chunked') {
    socket.write(`${body.length.toString(16)}\r\n`)
    await writeAll(socket, body)
    socket.write('\r\n')
  } else await writeAll(socket, body)
  // busboy holds back the last bytes that could start a boundary; the rest is on disk.
  await eventually(
    () => storedBytes(room.storageDir) >= before + bytes - 1024,
    10_000,
    'the upload reached the storage folder',
  )
  return socket
}

describe('uploads whose client goes away mid-body', () => {
  let room: RoomSimulator
  let client: TestClient
  let token: string
  beforeEach(async () => {
    room = await startRoomSimulator({ timeScale: 0, maxStorageBytes: 8 * MiB })
    client = await TestClient.authed(room.urls.ws)
    token = (await client.request('getTokenForHttpServer')).token as string
  })
  afterEach(async () => {
    await client.close()
    await room.close()
  })

  /** Nothing of an aborted upload is left: no file in the storage folder, no descriptor into it. */
  const nothingLeft = () =>
    eventually(
      () =>
        readdirSync(room.storageDir).length === 0 && descriptorsInto(room.storageDir).length === 0,
      2000,
      'no file and no descriptor left',
    )

  /** Uploads `bytes` whole, which must be stored (200): the quota it needs was given back. */
  const fits = async (bytes: number): Promise<void> => {
    const res = await upload(room.urls.http, token, bytesOf(bytes))
    expect(res.status).toBe(200)
    await res.arrayBuffer()
  }

  it.each([
    ['chunked uploads cut by a disconnect', 'chunked', (socket: Socket) => socket.destroy()],
    [
      'uploads that send fewer bytes than their Content-Length and then close',
      'length',
      (socket: Socket) => closedBy(socket.end(), 5000, 'the half-closed upload'),
    ],
  ] as const)(
    'keeps no file, descriptor or quota of three 3 MiB %s: a 2.5 MiB upload then fits an 8 MiB quota',
    async (_name, framing, cut) => {
      for (let i = 0; i < 3; i++) {
        const socket = await startUpload(room, token, 3 * MiB, framing)
        expect(descriptorsInto(room.storageDir)).toHaveLength(1)
        await cut(socket)
        await nothingLeft()
      }
      await fits(2.5 * MiB)
    },
  )

  it('drops an upload whose file part is complete but whose body was cut before its end', async () => {
    const socket = await startUpload(room, token, 1 * MiB, 'length')
    // The file part ends here; the closing boundary never comes.
    socket.write(`\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="other"\r\n\r\nx`)
    await eventually(() => storedBytes(room.storageDir) === MiB, 5000, 'the file part was stored')
    socket.destroy()
    await nothingLeft()
    await fits(7.5 * MiB)
  })

  it('closes the file of a download whose client goes away mid-body', async () => {
    const fileId = await uploadedFileId(room.urls.http, token, bytesOf(6 * MiB))
    const socket = await openSocket(room.urls.http)
    socket.write(`GET /files/${fileId}?token=${token} HTTP/1.1\r\nHost: room\r\n\r\n`)
    await new Promise((resolve) => socket.once('data', resolve))
    // The client stops reading: the simulator is mid-file, its descriptor open.
    socket.pause()
    expect(descriptorsInto(room.storageDir)).toHaveLength(1)
    socket.destroy()
    await eventually(
      () => descriptorsInto(room.storageDir).length === 0,
      2000,
      'no descriptor left',
    )
    expect(readdirSync(room.storageDir)).toEqual([`upload-${fileId}`])
  })
})
