import { readdirSync, readlinkSync } from 'node:fs'
import { type Socket, connect } from 'node:net'

/** A TCP connection to the host and port of `url`, once connected. */
export const openSocket = (url: string): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url)
    const socket = connect({ host: hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(port) })
    socket.once('connect', () => resolve(socket))
    socket.once('error', reject)
  })

/**
 * Resolves when the server has closed `socket`; rejects after `ms` with `what`, so that a server
 * that keeps the socket fails the test with a reason instead of hanging it.
 */
export const closedBy = (socket: Socket, ms: number, what: string): Promise<void> =>
  new Promise((resolve, reject) => {
    if (socket.destroyed) {
      resolve()
      return
    }
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`${what}: still open after ${ms} ms`))
    }, ms)
    socket.on('error', () => undefined)
    socket.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
    socket.resume()
  })

/** Polls `check` (every 10 ms) until it returns true; rejects after `ms` naming what never became true. */
export const eventually = async (check: () => boolean, ms: number, what: string): Promise<void> => {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not so after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** This process's open file descriptors that point into `dir` (Linux `/proc`). */
export const descriptorsInto = (dir: string): string[] =>
  readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`)
      return target.startsWith(`${dir}/`) ? [target] : []
    } catch {
      return []
    }
  })
