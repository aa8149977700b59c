import { describe, expect, it } from 'vitest'
import { newIdempotencyKey, toUIError } from './index'

describe('toUIError', () => {
  const formatted = { code: 'EINVALID', message: '金額は半角数字で入力してください', messageEn: 'enter the amount in digits' }
  it('reads the formatted error of a binding', () => {
    expect(toUIError(formatted)).toEqual(formatted)
  })
  it('unwraps the error the dev server wraps in {message}', () => {
    expect(toUIError({ message: formatted })).toEqual(formatted)
  })
  it('reads the JSON the dev server wraps in an Error', () => {
    expect(toUIError(new Error(JSON.stringify(formatted)))).toEqual(formatted)
  })
  it('reads a JSON string and a plain string', () => {
    expect(toUIError(JSON.stringify(formatted))).toEqual(formatted)
    expect(toUIError('boom')).toEqual({ code: 'EINTERNAL', message: 'boom', messageEn: 'boom' })
  })
  it('keeps the mark of a payment changed since the window read it', () => {
    const changed = { code: 'conflict', message: 'この決済は…変更されています', messageEn: 'the payment was changed…', changed: true }
    expect(toUIError(JSON.stringify(changed))).toEqual(changed)
    expect(toUIError(formatted)).not.toHaveProperty('changed')
  })
  it('keeps the message of a JavaScript error', () => {
    expect(toUIError(new Error('network down')).message).toBe('network down')
  })
})

describe('newIdempotencyKey', () => {
  it('is 128 random bits in hex, new each time', () => {
    const a = newIdempotencyKey()
    expect(a).toMatch(/^[0-9a-f]{32}$/)
    expect(newIdempotencyKey()).not.toBe(a)
  })
})
