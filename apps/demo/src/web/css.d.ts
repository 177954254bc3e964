// A stylesheet imported as its text (the page build's `text` loader for `.css`).
declare module '*.css' {
  const text: string
  export default text
}
