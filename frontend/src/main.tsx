import React from 'react'
import { createRoot } from 'react-dom/client'
import './style.css'
import App from './App'
import { ApiContext } from './api'
import { wailsApi } from './api/wails'

createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <ApiContext.Provider value={wailsApi}>
      <App />
    </ApiContext.Provider>
  </React.StrictMode>,
)
