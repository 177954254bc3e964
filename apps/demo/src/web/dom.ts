// Small DOM helpers of the page script: text only (names come from the room and are never parsed
// as HTML), and writes only when the value changed, so that patching a row leaves alone what did
// not change (a button under the pointer, a focused control, an open details element).

/** The element with this id (ids come from `IDS`). */
export const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const found = document.getElementById(id)
  if (found === null) throw new Error(`the page has no #${id}`)
  return found as T
}

/** A new element with text content only. */
export const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text = '',
  className = '',
): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag)
  if (text !== '') e.textContent = text
  if (className !== '') e.className = className
  return e
}

export const setText = (e: Element, text: string): void => {
  if (e.textContent !== text) e.textContent = text
}

export const setAttr = (e: Element, name: string, value: string): void => {
  if (e.getAttribute(name) !== value) e.setAttribute(name, value)
}

export const setHidden = (e: HTMLElement, hidden: boolean): void => {
  if (e.hidden !== hidden) e.hidden = hidden
}

/** A `<time>` element's text, machine-readable value and exact time on hover. */
export const setTime = (e: HTMLTimeElement, at: number, text: string): void => {
  setText(e, text)
  // Formatting a date for people is slow: once per element and moment.
  if (e.dataset['at'] === String(at)) return
  e.dataset['at'] = String(at)
  e.dateTime = new Date(at).toISOString()
  e.title = new Date(at).toLocaleString()
}
