// Privacy: every privacy interface the code calls is declared, 我的 reaches both lists in one tap,
// and the README describes the tabs app.json has.
const fs = require('fs')
const path = require('path')
const privacy = require('../../utils/privacy')
const { createWx } = require('../fake-wx')
const { loadPage, tap } = require('../page-harness')
const { render, byClass, text } = require('../page-view')

const ROOT = path.join(__dirname, '..', '..')
const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'))

// WeChat's 隐私接口 (privacy interfaces that the privacy guide must declare), as calls and button open-types.
const PRIVACY_APIS = ['getLocation', 'getFuzzyLocation', 'chooseLocation', 'choosePoi', 'startLocationUpdate',
  'startLocationUpdateBackground', 'onLocationChange', 'setClipboardData', 'getClipboardData', 'chooseImage',
  'chooseMedia', 'chooseVideo', 'chooseMessageFile', 'saveImageToPhotosAlbum', 'saveVideoToPhotosAlbum',
  'getUserProfile', 'getUserInfo', 'chooseAddress', 'chooseInvoiceTitle', 'chooseInvoice', 'getWeRunData',
  'startRecord', 'getRecorderManager', 'createCameraContext', 'createVKSession', 'addPhoneContact',
  'addPhoneCalendar', 'addPhoneRepeatCalendar', 'chooseLicensePlate', 'openBluetoothAdapter',
  'createBLEPeripheralServer', 'startWifi', 'getNFCAdapter', 'shareFileMessage', 'shareVideoMessage']
const PRIVACY_OPEN_TYPES = ['getPhoneNumber', 'getRealtimePhoneNumber', 'chooseAvatar', 'getUserInfo']
// Privacy components and authorize scopes: none is used today, and using one needs a guide entry first.
const PRIVACY_MARKUP = ['<camera', '<live-pusher', '<voip-room', 'type="nickname"', 'wx.authorize']
// The interfaces WeChat refuses unless app.json lists them in requiredPrivateInfos (its eight location interfaces).
const REQUIRED_PRIVATE_INFOS = ['getFuzzyLocation', 'getLocation', 'onLocationChange', 'startLocationUpdate',
  'startLocationUpdateBackground', 'chooseAddress', 'choosePoi', 'chooseLocation']

function sources(dir = ROOT, out = []) {
  fs.readdirSync(dir, { withFileTypes: true }).forEach(e => {
    if (['node_modules', 'tests', 'scripts'].includes(e.name)) return
    const full = path.join(dir, e.name)
    if (e.isDirectory()) sources(full, out)
    else if (/\.(js|wxml)$/.test(e.name) && !full.endsWith(path.join('utils', 'privacy.js'))) out.push(full)
  })
  return out
}

function calledPrivacyInterfaces() {
  const found = new Set()
  sources().forEach(file => {
    const text = fs.readFileSync(file, 'utf8')
    PRIVACY_APIS.forEach(name => { if (new RegExp(`wx\\.${name}\\b`).test(text)) found.add(`wx.${name}`) })
    PRIVACY_OPEN_TYPES.forEach(name => { if (text.includes(`open-type="${name}"`)) found.add(`open-type="${name}"`) })
    PRIVACY_MARKUP.forEach(marker => { if (text.includes(marker)) found.add(marker) })
  })
  return [...found].sort()
}

test('every privacy interface the code calls is in the privacy guide, the clipboard too, and nothing else is', () => {
  const called = calledPrivacyInterfaces()
  expect(called).toContain('wx.setClipboardData')
  expect(called).toEqual(privacy.GUIDE.map(g => g.api).sort())
  privacy.GUIDE.forEach(g => expect(g.purpose).toMatch(/[\u4e00-\u9fff]{4,}/))
})

test('no wx interface is called through a computed name, which the scan above could not see', () => {
  sources().forEach(file => expect([file, /\bwx\s*\[/.test(fs.readFileSync(file, 'utf8'))]).toEqual([file, false]))
})

test('app.json asks WeChat to check privacy consent and lists in requiredPrivateInfos each interface WeChat requires there', () => {
  expect(app.__usePrivacyCheck__).toBe(true)
  const required = calledPrivacyInterfaces().map(a => a.replace('wx.', '')).filter(a => REQUIRED_PRIVATE_INFOS.includes(a))
  expect(required).toEqual(expect.arrayContaining(['getLocation', 'chooseLocation']))
  expect([...app.requiredPrivateInfos].sort()).toEqual(required.sort())
})

test('the 已收集个人信息清单 page shows every item the privacy guide declares', () => {
  const list = loadPage('pages/me/privacy-list', { wx: createWx() })
  list.onLoad({ list: 'collected' })
  const shown = byClass(render(list), 'head').map(text)
  privacy.GUIDE.forEach(g => expect([g.api, shown.some(head => head.startsWith(g.info))]).toEqual([g.api, true]))
})

test('each item of the 已收集个人信息清单 says why it is collected and how it is kept', () => {
  privacy.COLLECTED.forEach(c => {
    expect(c.purpose).toMatch(/[\u4e00-\u9fff]{4,}/)
    expect(c.kept).toMatch(/[\u4e00-\u9fff]{2,}/)
  })
})

test('我的 opens the 已收集个人信息清单 and the 第三方共享清单 in one tap each', () => {
  const wxml = fs.readFileSync(path.join(ROOT, 'pages/me/me.wxml'), 'utf8')
  const rows = [...wxml.matchAll(/data-url="([^"]+)"[^>]*bindtap="go"[^>]*>\s*<text[^>]*>([^<]+)</g)]
    .map(([, url, label]) => ({ url, label }))
  const collected = rows.find(r => r.label === '已收集个人信息清单')
  const shared = rows.find(r => r.label === '第三方共享清单')
  expect(collected.url).toBe('/pages/me/privacy-list?list=collected')
  expect(shared.url).toBe('/pages/me/privacy-list?list=shared')
  expect(app.pages).toContain('pages/me/privacy-list')

  const wx = createWx()
  const me = loadPage('pages/me/me', { wx })
  me.go(tap({ url: collected.url }))
  expect(wx.calls.navigateTo).toEqual([{ url: '/pages/me/privacy-list?list=collected' }])

  const list = loadPage('pages/me/privacy-list', { wx })
  list.onLoad({ list: 'collected' })
  expect(list.data.title).toBe('已收集个人信息清单')
  const heads = list.data.rows.map(r => r.head)
  expect(heads).toEqual(expect.arrayContaining(['手机号', '位置信息', '剪切板', '姓名、身份证号码、手机号（实名预约）']))
  expect(list.data.rows.every(r => r.lines[0].startsWith('用途：'))).toBe(true)

  const other = loadPage('pages/me/privacy-list', { wx })
  other.onLoad({ list: 'shared' })
  expect(other.data.title).toBe('第三方共享清单')
  const purposes = other.data.rows.filter(r => r.head.startsWith('微信')).map(r => r.lines[1]).join('')
  expect(purposes).toMatch(/微信登录/)
  expect(purposes).toMatch(/订阅消息/)
})

test('the README lists the tabs that app.json has', () => {
  const readme = fs.readFileSync(path.join(ROOT, '..', 'README.md'), 'utf8')
  const tabs = readme.match(/`miniprogram\/` is the residents'\s+side \(tabs ([^;)]+)[;)]/)[1].split(/,\s*/)
  expect(tabs).toEqual(app.tabBar.list.map(t => t.text))
})
