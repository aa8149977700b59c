import { act, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import App from '../App'
import { ApiContext } from '../api'
import type { Api, ImportLayout, ImportPreview } from '../api'
import { fakeApi, fileInfo, importPreview, makeshopLayout } from '../test/fakeApi'

function renderApp(api: Api) {
  return render(<ApiContext.Provider value={api}><App /></ApiContext.Provider>)
}

function withEvents(over: Partial<Api> = {}) {
  const handlers: Record<string, (d: unknown) => void> = {}
  const api = fakeApi({
    onEvent: vi.fn((name: string, cb: (d: unknown) => void) => {
      handlers[name] = cb
      return () => {}
    }),
    ...over,
  })
  return { api, emit: (name: string, d: unknown) => act(() => handlers[name]?.(d)) }
}

const path = '/home/shop/注文データ.csv'

async function openFile(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByTestId('nav-import'))
  await user.type(screen.getByTestId('import-file-path'), path)
  await user.click(screen.getByTestId('import-file-load'))
  return screen.findByTestId('import-file-info')
}

describe('受注取込', () => {
  it('inspects, previews with line numbers, maps unknown words, commits and starts the link', async () => {
    const notOk: ImportPreview = importPreview({
      ok: false, invalid: 1, conflicts: 1, new: 2,
      problems: [{ line: 7, column: '合計金額', message: '合計金額が数字ではありません', messageEn: 'not a number' }], problemsTotal: 3,
      conflictList: [{ orderNo: 'P101', line: 5, reason: '売上済みの決済がある受注です' }],
      unknownMethods: ['クレジット'], unknownStatuses: ['発送待ち'],
    })
    const { api } = withEvents()
    vi.mocked(api.importPreview).mockResolvedValueOnce(notOk).mockResolvedValueOnce(importPreview())
    const user = userEvent.setup()
    renderApp(api)
    const info = await openFile(user)
    expect(api.importInspect).toHaveBeenCalledWith(path, '')
    expect(info).toHaveTextContent('注文データ.csv')
    expect(info).toHaveTextContent('2.0 KB')
    expect(within(info).getByTestId('import-encoding')).toHaveTextContent('自動判別（Shift_JIS (CP932)）')
    expect(within(info).getByTestId('import-sample')).toHaveTextContent('山田太郎')
    // The suggested layout is preselected.
    expect(screen.getByTestId('import-layout')).toHaveValue('makeshop')

    // The encoding can be overridden: the file is read again with it.
    await user.selectOptions(screen.getByTestId('import-encoding'), 'utf-8')
    await waitFor(() => expect(api.importInspect).toHaveBeenLastCalledWith(path, 'utf-8'))

    await user.click(await screen.findByTestId('import-preview'))
    expect(api.importPreview).toHaveBeenCalledWith({ path, encoding: 'utf-8', layout: 'makeshop', inline: null, methods: {}, statuses: {} })
    const result = await screen.findByTestId('import-preview-result')
    expect(within(result).getByTestId('import-count-new')).toHaveTextContent('2')
    expect(within(result).getByTestId('import-count-invalid')).toHaveTextContent('1')
    expect(within(result).getByTestId('import-count-conflicts')).toHaveTextContent('1')
    const problem = within(result).getByTestId('import-problem')
    expect(problem).toHaveTextContent('7行目')
    expect(problem).toHaveTextContent('合計金額')
    expect(problem).toHaveTextContent('合計金額が数字ではありません')
    expect(within(result).getByTestId('import-problems-more')).toHaveTextContent('ほかに2件')
    expect(within(result).getByTestId('import-conflict')).toHaveTextContent('P101')
    expect(within(result).getByTestId('import-conflict')).toHaveTextContent('5行目')
    expect(within(result).getByTestId('import-not-ok')).toHaveTextContent('何も保存していません')
    expect(within(result).getByTestId('import-commit')).toBeDisabled()

    // The shop's words are mapped to ours and the preview runs again with them.
    await user.selectOptions(within(result).getByTestId('import-method-クレジット'), 'card')
    await user.selectOptions(within(result).getByTestId('import-status-発送待ち'), 'paid')
    expect(within(result).getByTestId('import-commit')).toBeDisabled()
    await user.click(within(result).getByTestId('import-remap'))
    await waitFor(() => expect(api.importPreview).toHaveBeenCalledTimes(2))
    expect(vi.mocked(api.importPreview).mock.calls[1][0]).toEqual({
      path, encoding: 'utf-8', layout: 'makeshop', inline: null, methods: { 'クレジット': 'card' }, statuses: { '発送待ち': 'paid' },
    })
    expect(await screen.findByTestId('import-ok')).toBeInTheDocument()
    const commit = screen.getByTestId('import-commit')
    await waitFor(() => expect(commit).toBeEnabled())

    await user.click(commit)
    expect(api.importCommit).toHaveBeenCalledWith(vi.mocked(api.importPreview).mock.calls[1][0])
    const done = await screen.findByTestId('import-result')
    expect(done).toHaveTextContent('新規 3件、更新 1件、変更なし 0件、競合 0件、連携待ち 4件')
    await user.click(within(done).getByTestId('link-start'))
    expect(api.linkStart).toHaveBeenCalledWith(0, [])
    await user.click(within(done).getByTestId('import-open-unlinked'))
    expect(await screen.findByTestId('work-list-unlinked')).toBeInTheDocument()
  })

  it('saves the word map into a copy of a preset', async () => {
    const { api } = withEvents()
    vi.mocked(api.importPreview).mockResolvedValue(importPreview({ ok: false, unknownMethods: ['クレジット'] }))
    const user = userEvent.setup()
    renderApp(api)
    await openFile(user)
    await user.click(screen.getByTestId('import-preview'))
    await user.selectOptions(await screen.findByTestId('import-method-クレジット'), 'card')
    await user.type(screen.getByTestId('import-save-name'), '当店のMakeShop')
    await user.click(screen.getByTestId('import-save-layout'))
    await waitFor(() => expect(api.importSaveLayout).toHaveBeenCalledTimes(1))
    expect(vi.mocked(api.importSaveLayout).mock.calls[0][0]).toMatchObject({
      name: '当店のMakeShop', builtin: false, columns: makeshopLayout().columns, methods: { 'クレジット': 'card' },
    })
  })

  it('shows progress, and 中止 ends the check with nothing saved', async () => {
    const { api, emit } = withEvents()
    let fail: (e: unknown) => void = () => {}
    vi.mocked(api.importPreview).mockImplementationOnce(() => new Promise((_, reject) => { fail = reject }))
    const user = userEvent.setup()
    renderApp(api)
    await openFile(user)
    await user.click(screen.getByTestId('import-preview'))
    emit('import:progress', { phase: 'check', bytes: 512, totalBytes: 2048, rows: 120 })
    const bar = await screen.findByTestId('import-progress')
    expect(bar).toHaveTextContent('確認しています… 120行')
    expect(bar.querySelector('progress')).toHaveAttribute('value', '512')
    await user.click(within(bar).getByTestId('import-progress-stop'))
    expect(api.importCancel).toHaveBeenCalledTimes(1)
    await act(async () => fail({ code: 'internal', message: 'context canceled', messageEn: '' }))
    expect(await screen.findByTestId('notice')).toHaveTextContent('中止しました。何も保存していません。')
    expect(screen.queryByTestId('error-message')).not.toBeInTheDocument()
    expect(api.importCommit).not.toHaveBeenCalled()
  })

  it('builds a column mapping (joined columns), previews it inline, saves and deletes it', async () => {
    let saved: ImportLayout[] = []
    const { api } = withEvents({
      importInspect: vi.fn(async () => fileInfo({ suggested: '', header: ['注文番号', 'お名前(姓)', 'お名前(名)', '合計', '支払方法'], sample: [] })),
      importLayouts: vi.fn(async () => [makeshopLayout(), ...saved]),
      importSaveLayout: vi.fn(async (l: ImportLayout) => { saved = [l] }),
      importDeleteLayout: vi.fn(async () => { saved = [] }),
    })
    const user = userEvent.setup()
    renderApp(api)
    await openFile(user)
    // No layout recognised: the mapping builder opens with what the header names.
    expect(screen.getByTestId('import-layout')).toHaveValue('__custom')
    const builder = screen.getByTestId('mapping-builder')
    expect(within(builder).getByTestId('mapping-order_no-0')).toHaveValue('注文番号')
    expect(within(builder).getByTestId('mapping-payment_method-0')).toHaveValue('支払方法')
    await user.selectOptions(within(builder).getByTestId('mapping-customer_name-0'), 'お名前(姓)')
    await user.click(within(builder).getByTestId('mapping-customer_name-add'))
    await user.selectOptions(within(builder).getByTestId('mapping-customer_name-1'), 'お名前(名)')
    await user.selectOptions(within(builder).getByTestId('mapping-total-0'), '合計')
    await user.click(within(builder).getByTestId('mapping-per-item'))
    const columns = { order_no: ['注文番号'], customer_name: ['お名前(姓)', 'お名前(名)'], total: ['合計'], payment_method: ['支払方法'] }

    await user.click(screen.getByTestId('import-preview'))
    expect(vi.mocked(api.importPreview).mock.calls[0][0]).toMatchObject({ layout: '', inline: { columns, perItem: true } })

    await user.type(screen.getByTestId('import-save-name'), '当店の形式')
    await user.click(screen.getByTestId('import-save-layout'))
    await waitFor(() => expect(api.importSaveLayout).toHaveBeenCalledWith(expect.objectContaining({ name: '当店の形式', columns, perItem: true, builtin: false })))
    await waitFor(() => expect(screen.getByTestId('import-layout')).toHaveValue('当店の形式'))
    // The preview runs again under the saved name.
    await waitFor(() => expect(api.importPreview).toHaveBeenCalledTimes(2))
    expect(vi.mocked(api.importPreview).mock.calls[1][0]).toMatchObject({ layout: '当店の形式', inline: null })
    expect(await screen.findByTestId('import-ok')).toBeInTheDocument()

    await user.click(screen.getByTestId('import-delete-layout'))
    expect(api.importDeleteLayout).not.toHaveBeenCalled()
    await user.click(screen.getByTestId('import-delete-confirm'))
    await waitFor(() => expect(api.importDeleteLayout).toHaveBeenCalledWith('当店の形式'))
    expect(await screen.findByTestId('notice')).toHaveTextContent('削除しました')
  })

  it('uses the OS dialog through 参照… and shows a refused file in Japanese', async () => {
    const { api } = withEvents({
      importInspect: vi.fn(async () => {
        throw { code: 'invalid', message: '見出し行が読めません（空のファイルか、CSVではありません）', messageEn: '' }
      }),
    })
    const user = userEvent.setup()
    renderApp(api)
    await user.click(await screen.findByTestId('nav-import'))
    await user.click(screen.getByTestId('import-file-browse'))
    expect(api.importChooseFile).toHaveBeenCalledTimes(1)
    expect(await screen.findByTestId('error-message')).toHaveTextContent('見出し行が読めません')
    expect(api.importInspect).toHaveBeenCalledWith(path, '')
    expect(screen.getByTestId('import-file-path')).toHaveValue(path)
    expect(screen.queryByTestId('import-preview')).not.toBeInTheDocument()
  })
})
