import { COMMAND_METHODS } from '@org/file-events-codec'
import { type CommandHandlers, commandHandlers } from '../src/internal/commandRouter'

describe('the command router', () => {
  it('has one handler per command of the codec table, and a missing one is a type error', () => {
    expect(Object.keys(commandHandlers).sort()).toEqual([...COMMAND_METHODS].sort())
    const { sendFile: _sendFile, ...rest } = commandHandlers
    // @ts-expect-error a command the codec models must have a handler
    const incomplete: CommandHandlers = rest
    expect(Object.keys(incomplete)).not.toContain('sendFile')
  })
})
