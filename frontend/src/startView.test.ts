import { describe, expect, it } from 'vitest'
import { parseStartView } from './startView'

describe('parseStartView', () => {
  it('opens as always without a start view or with an unknown one', () => {
    expect(parseStartView(undefined)).toBeNull()
    expect(parseStartView('')).toBeNull()
    expect(parseStartView('nowhere')).toBeNull()
    expect(parseStartView('order:')).toBeNull()
  })
  it('reads each screen with its argument', () => {
    expect(parseStartView('home')).toEqual({ screen: 'home' })
    expect(parseStartView('orders')).toEqual({ screen: 'orders', quick: '' })
    expect(parseStartView('orders:100200~100260')).toEqual({ screen: 'orders', quick: '100200~100260' })
    expect(parseStartView(' order:100250:capture ')).toEqual({ screen: 'order', orderNo: '100250', action: 'capture' })
    expect(parseStartView('order:100250')).toEqual({ screen: 'order', orderNo: '100250', action: '' })
    expect(parseStartView('settings:backup')).toEqual({ screen: 'settings', tab: 'backup' })
    expect(parseStartView('work')).toEqual({ screen: 'work', tab: '' })
  })
})
