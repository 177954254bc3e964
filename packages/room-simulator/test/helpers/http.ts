/** Uploads `bytes` as multipart field `file` (real multipart via fetch + FormData). */
export const upload = async (
  httpUrl: string,
  token: string,
  bytes: Uint8Array,
  fileName = 'upload.bin',
): Promise<Response> => {
  const form = new FormData()
  form.append('file', new Blob([bytes]), fileName)
  return fetch(`${httpUrl}/files/?token=${encodeURIComponent(token)}`, {
    method: 'POST',
    body: form,
  })
}

export const uploadedFileId = async (
  httpUrl: string,
  token: string,
  bytes: Uint8Array,
  fileName?: string,
): Promise<number> => {
  const res = await upload(httpUrl, token, bytes, fileName)
  if (res.status !== 200) throw new Error(`upload failed with HTTP ${res.status}`)
  await res.arrayBuffer()
  return Number(res.headers.get('FileId'))
}

export const bytesOf = (size: number, seed = 7): Uint8Array => {
  const out = new Uint8Array(size)
  let x = seed
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}
