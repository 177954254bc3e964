import * as v from 'valibot'
import {
  EVENT_SHAPES,
  type FieldKind,
  type PeerDecode,
  dispatchingDecoder,
  hasSize,
  isDecimalFileId,
} from './eventFields'

type Schema = v.GenericSchema

const safeNatural = (): Schema => v.pipe(v.number(), v.safeInteger(), v.minValue(0))

/** valibot's `v.number()` lets `Infinity` through: `finite()` makes it refuse it, as `Timestamp` does. */
const valibotField = (kind: FieldKind): Schema => {
  switch (kind) {
    case 'nonEmpty':
      return v.pipe(v.string(), v.nonEmpty())
    case 'text':
      return v.string()
    case 'timestamp':
      return v.pipe(v.number(), v.finite(), v.minValue(0))
    case 'size':
      return safeNatural()
    case 'percent':
      return v.pipe(v.number(), v.minValue(0), v.maxValue(100))
    case 'fileId':
      return v.union([safeNatural(), v.pipe(v.string(), v.check(isDecimalFileId))])
    case 'status':
      return v.picklist([0, 1, 2, 3])
    case 'direction':
      return v.picklist([0, 1])
    case 'boolean':
      return v.boolean()
  }
}

/** The file events as valibot schemas; `looseObject` keeps unknown fields, as the codec does. */
export const valibotEventSchemas: ReadonlyMap<string, Schema> = new Map(
  Object.entries(EVENT_SHAPES).map(([event, shape]) => {
    const fields: Record<string, Schema> = { method: v.literal('event'), event: v.literal(event) }
    for (const [key, kind] of Object.entries(shape.required)) fields[key] = valibotField(kind)
    for (const [key, kind] of Object.entries(shape.optional))
      fields[key] = v.optional(valibotField(kind))
    if (shape.sized) {
      fields.fileSize = v.optional(valibotField('size'))
      fields.size = v.optional(valibotField('size'))
    }
    const object = v.looseObject(fields)
    return [
      event,
      shape.sized
        ? v.pipe(
            object,
            v.check((o) => hasSize(o as Record<string, unknown>)),
          )
        : object,
    ]
  }),
)

const otherEvent = v.looseObject({ method: v.literal('event'), event: v.string() })
const reply = v.looseObject({ method: v.string(), result: v.boolean() })

const run =
  (schema: Schema) =>
  (value: unknown): unknown => {
    const result = v.safeParse(schema, value)
    return result.success ? result.output : undefined
  }

/** `JSON.parse`, then valibot. */
export const decodeWithValibot: PeerDecode = dispatchingDecoder(
  new Map([...valibotEventSchemas].map(([event, schema]) => [event, run(schema)])),
  run(otherEvent),
  run(reply),
)
