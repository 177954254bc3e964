import { parseDemoArgs } from '../src/options'

describe('parseDemoArgs', () => {
  it('gives up on an unreachable room after 5 retries unless told otherwise', () => {
    expect(parseDemoArgs([], {}).maxRetries).toBe(5)
    expect(parseDemoArgs(['--max-retries', '0'], {}).maxRetries).toBe(0)
    expect(parseDemoArgs(['--max-retries', '12'], {}).maxRetries).toBe(12)
  })

  it('refuses a --max-retries that is not a whole non-negative number', () => {
    expect(() => parseDemoArgs(['--max-retries', '1.5'], {})).toThrow(
      '--max-retries must be a whole number, got "1.5"',
    )
    expect(() => parseDemoArgs(['--max-retries=-1'], {})).toThrow(
      '--max-retries must be a non-negative number',
    )
    expect(() => parseDemoArgs(['--max-retries', 'many'], {})).toThrow(
      '--max-retries must be a non-negative number',
    )
  })
})

describe('parseDemoArgs --port', () => {
  it('takes the web dashboard port with --web, any free one by default', () => {
    expect(parseDemoArgs(['--web'], {}).port).toBe(0)
    expect(parseDemoArgs(['--web', '--port', '8888'], {}).port).toBe(8888)
  })

  it('refuses a port out of range, and --port without --web', () => {
    expect(() => parseDemoArgs(['--web', '--port', '70000'], {})).toThrow(
      '--port must be from 0 to 65535, got 70000',
    )
    expect(() => parseDemoArgs(['--port', '8888'], {})).toThrow(
      "--port is the web dashboard's port: use it with --web",
    )
  })
})

describe('parseDemoArgs refuses, as usage errors', () => {
  it.each([
    [
      ['--host', 'http://10.0.0.5'],
      '--host takes a host name or an IP address (such as 10.0.0.5), not "http://10.0.0.5"; the web port goes in --web-port',
    ],
    [
      ['--host', '10.0.0.5:8080'],
      '--host takes a host name or an IP address (such as 10.0.0.5), not "10.0.0.5:8080"; the web port goes in --web-port',
    ],
    [
      ['--host', 'admin:s3cret@10.0.0.5'],
      '--host takes a host name or an IP address (such as 10.0.0.5), not "***@10.0.0.5"; the web port goes in --web-port',
    ],
    [['--web-port', '0'], '--web-port must be from 1 to 65535, got 0'],
    [['--web-port', '8080.5'], '--web-port must be a whole number, got "8080.5"'],
    [['--pin', ''], '--pin is empty: give the PIN, or leave --pin out for a room without one'],
  ])('%j', (argv, message) => {
    expect(() => parseDemoArgs(argv, {})).toThrow(message)
  })

  it('an empty ROOM_PIN, unless --pin is given', () => {
    expect(() => parseDemoArgs([], { ROOM_PIN: '' })).toThrow(
      'ROOM_PIN is empty: set it to the PIN, or unset it for a room without one',
    )
    expect(parseDemoArgs(['--pin', '1234'], { ROOM_PIN: '' }).pin).toBe('1234')
    expect(parseDemoArgs(['--host', '::1'], {}).host).toBe('::1')
  })
})

describe('parseDemoArgs words every usage error like its own (the CLI prefixes room-files-demo:)', () => {
  it.each([
    [['--time-scale', '-1'], '--time-scale must be a non-negative number, got "-1"'],
    [['--bogus'], 'unknown option --bogus (--help lists the options)'],
    [['--host'], '--host needs a value'],
    [['extra'], 'unexpected argument "extra" (--help lists the options)'],
  ])('%j', (argv, message) => {
    expect(() => parseDemoArgs(argv, {})).toThrow(new Error(message))
  })
})
