import { describe, expect, it } from 'vitest'
import { buildDictionary, dateTime, dictionaries, i18n, resources, yen } from './i18n'
import type { Lang } from './i18n'

// Keys of a resource, plural suffixes folded (English has _one/_other where Japanese has one form).
function keys(o: object, prefix = ''): Map<string, 'string' | 'object'> {
  const out = new Map<string, 'string' | 'object'>()
  for (const [k, v] of Object.entries(o)) {
    const key = prefix + k.replace(/_(zero|one|two|few|many|other)$/, '')
    if (typeof v === 'string') out.set(key, 'string')
    else { out.set(key, 'object'); for (const [kk, vv] of keys(v, key + '.')) out.set(kk, vv) }
  }
  return out
}

const langs: Lang[] = ['ja', 'en']

describe('resources', () => {
  it('have the same keys in Japanese and English', () => {
    const ja = keys(resources.ja), en = keys(resources.en)
    expect([...ja.keys()].filter((k) => !en.has(k)), 'missing in en.json').toEqual([])
    expect([...en.keys()].filter((k) => !ja.has(k)), 'missing in ja.json').toEqual([])
    for (const [k, kind] of ja) expect(en.get(k), k).toBe(kind)
  })

  it('use the same values in both languages', () => {
    // {{name}} in one language and not the other is a value one of them forgets
    const vars = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1]).filter((v) => v !== 'count')
    const flat = (o: object, p = ''): [string, string][] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [[p + k.replace(/_(zero|one|two|few|many|other)$/, ''), v] as [string, string]] : flat(v, p + k + '.')))
    const byKey = (o: object) => {
      const m = new Map<string, Set<string>>()
      for (const [k, v] of flat(o)) for (const x of vars(v)) m.set(k, (m.get(k) ?? new Set()).add(x))
      return m
    }
    const ja = byKey(resources.ja), en = byKey(resources.en)
    for (const [k, vs] of en) {
      // an English singular may spell "1" out instead of using the value
      for (const v of vs) expect(ja.get(k)?.has(v) || /^units\./.test(k), `${k} uses {{${v}}} only in English`).toBe(true)
    }
    for (const [k, vs] of ja) for (const v of vs) expect(en.get(k)?.has(v) || /\$t\(/.test(JSON.stringify(resources.en)), `${k} uses {{${v}}} only in Japanese`).toBe(true)
  })

  it('has no Japanese in English texts except the words an operator meets on Japanese paperwork', () => {
    const allowed = new Set(['odSlipBkCode'])
    const jp = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u
    const flat = (o: object, p = ''): [string, string][] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [[p + k, v] as [string, string]] : flat(v, p + k + '.')))
    expect(flat(resources.en).filter(([k, v]) => jp.test(v) && !allowed.has(k)).map(([k]) => k)).toEqual([])
  })
})

describe('the dictionary the pages read', () => {
  // Every field, every function with several kinds of argument: each key it asks for
  // must exist in that language (with its count and context), and no template is left raw.
  for (const lang of langs) {
    it(`finds every key it uses in ${lang}`, () => {
      const fixed = i18n.getFixedT(lang)
      const missing: string[] = []
      const d = buildDictionary((key, options) => {
        if (!i18n.exists(key, { lng: lang, ...options })) missing.push(`${key} ${JSON.stringify(options ?? {})}`)
        return String(fixed(key, options as never))
      })
      const samples: unknown[][] = [[1, 1, 1], [2, 0, 3], [0, null, 0], [-1, 5, 0]]
      // results of a run (ImportResult, LinkProgress…): every figure 1, every list one long
      const result = new Proxy({}, { get: (_, p) => (p === 'unmatched' ? [1] : 1) })
      const takesResult = new Set(['importDone', 'linkDone', 'consoleDone'])
      const check = (o: Record<string, unknown>, path: string) => {
        for (const [k, v] of Object.entries(o)) {
          if (typeof v === 'function') {
            for (const args of takesResult.has(k) ? [[result]] : k === 'salesCancelText' ? [['auth', 1], ['sale', 2]] : samples) {
              const out = String(v(...args))
              expect(out, `${path}${k}`).not.toMatch(/\{\{|\$t\(|undefined/)
            }
          } else if (typeof v === 'string') {
            expect(v, `${path}${k}`).not.toBe('')
            expect(v, `${path}${k}`).not.toMatch(/\{\{|\$t\(/)
          } else if (v && typeof v === 'object') check(v as Record<string, unknown>, `${path}${k}.`)
        }
      }
      check(d as unknown as Record<string, unknown>, '')
      expect(missing).toEqual([])
    })
  }

  it('says 1 order, 2 orders in English and 件 in Japanese', () => {
    const en = dictionaries.en, ja = dictionaries.ja
    expect(en.count(1, false)).toBe('1 order')
    expect(en.count(2, false)).toBe('2 orders')
    expect(en.count(12345, true)).toBe('at least 12,345 orders')
    expect(ja.count(1, false)).toBe('1件')
    expect(ja.count(12345, true)).toBe('12,345件以上')
    expect(en.homeCount(1)).toBe('1 order')
    expect(en.homeLines(3)).toBe('3 lines')
    expect(en.rep.items(1)).toBe('1 payment')
    expect(en.set.runDrifts(2)).toBe('2 differences')
    expect(en.daysLeft(1)).toBe('1 day left')
    expect(en.daysLeft(-2)).toBe('expired')
    expect(ja.daysLeft(3)).toBe('残り3日')
    expect(en.bulkInquire(1)).toBe('Ask the gateway about 1 order')
    expect(en.importRead(1, 2, 'UTF-8')).toBe('1 line, 2 orders read (encoding: UTF-8)')
    expect(en.importRead(1500, 1, 'CP932')).toBe('1,500 lines, 1 order read (encoding: CP932)')
    expect(ja.importRead(1500, 1, 'CP932')).toBe('1,500行・受注1件を読みました（文字コード: CP932）')
    expect(en.importDone({ new: 1, updated: 0, unchanged: 0, conflicts: 1, queuedForLink: 0 } as never)).toContain('1 conflict,')
    expect(en.bulkDone(3, 0, 0)).toBe('Done: 3 succeeded, 0 failed')
    expect(en.bulkDone(3, 1, 2)).toBe('Done: 3 succeeded, 1 failed, 2 other')
    expect(en.bulkReviewNote(2, 1)).toBe('2 needing review: choose the current payment in the order. 1 with an unknown outcome: ask the gateway with bulk inquiry')
    expect(ja.bulkReviewNote(0, 4)).toBe('結果確認中 4件は一括照会で確かめます')
    expect(en.homeBucket(0, 3)).toBe('Today–3 days')
    expect(ja.homeBucket(31, null)).toBe('31日以上')
    expect(en.homeBucket(-30, -1)).toBe('Expired')
    expect(en.salesCancelText('auth', 60)).toBe('60 days from the authorisation')
    expect(ja.salesCancelText('sale', 60)).toBe('売上日から60日')
    expect(en.encodingAuto('')).toBe('Detect')
    expect(ja.encodingAuto('Shift_JIS')).toBe('自動判別（Shift_JIS）')
    expect(en.linkConsoleHint('')).toBe('Enter the values shown in the transaction detail of the gateway console.')
  })

  it('formats yen, numbers and dates with Intl', () => {
    expect(yen(1234, 'en')).toBe('¥1,234')
    expect(yen(1234)).toBe('1,234円')
    expect(yen(-500.7, 'ja')).toBe('-500円')
    expect(i18n.services.formatter?.format(1234567, 'yen', 'en', {})).toBe('¥1,234,567')
    expect(i18n.services.formatter?.format(1234567, 'number', 'ja', {})).toBe('1,234,567')
    expect(i18n.services.formatter?.format(new Date('2026-11-23T15:05:00Z'), 'date', 'en', {})).toBe('2026/11/24')
    expect(dateTime('2026-11-23T15:05:00Z')).toBe('2026/11/24 00:05') // JST, yyyy/MM/dd
    const day = new Date('2026-12-01T15:30:00Z') // 2 December in Japan
    expect(dictionaries.ja.homeToday(day)).toBe('2026年12月2日(水)')
    expect(dictionaries.en.homeToday(day)).toBe('Wed, 2 December 2026')
    expect(dictionaries.en.exportLead(1234)).toBe('Write the 1,234 orders of the current search to a CSV file.')
  })
})
