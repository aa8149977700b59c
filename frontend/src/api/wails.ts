// The Api over the generated Wails bindings (frontend/wailsjs, `wails generate module`).
import * as Orders from '../../wailsjs/go/app/Orders'
import * as Payments from '../../wailsjs/go/app/Payments'
import * as Settings from '../../wailsjs/go/app/Settings'
import { EventsOn } from '../../wailsjs/runtime/runtime'
import type { Api } from './index'
import type { ActionInput, OrderSearch } from './types'

/* eslint-disable @typescript-eslint/no-explicit-any */
export const wailsApi: Api = {
  options: () => Orders.Options() as Promise<any>,
  search: (q: OrderSearch) => Orders.Search(q as any) as Promise<any>,
  detail: (id: number) => Orders.Detail(id) as Promise<any>,
  preview: (id: number, input: ActionInput) => Payments.Preview(id, input as any) as Promise<any>,
  run: (id: number, input: ActionInput, key: string) => Payments.Run(id, input as any, key) as Promise<any>,
  resolve: (opId: number) => Payments.Resolve(opId) as Promise<any>,
  info: () => Settings.Info() as Promise<any>,
  setLanguage: (lang: string) => Settings.SetLanguage(lang),
  setOperator: (name: string) => Settings.SetOperator(name),
  removeDemo: () => Settings.RemoveDemo(),
  onEvent: (name: string, cb: (data: unknown) => void) => EventsOn(name, cb),
}
