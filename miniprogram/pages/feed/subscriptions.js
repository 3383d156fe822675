// 我的订阅: subscriptions list, and the editor built from the server's options.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const layout = require('../../utils/subscriptions')
const care = require('../../utils/care')
const subscribe = require('../../utils/subscribe')

function locate() {
  return new Promise(resolve => {
    wx.getLocation({ type: 'gcj02', success: resolve, fail: () => resolve(null) })
  })
}

Page({
  data: { care: false, items: [], limit: 20, editing: false, editId: 0, value: null, sections: [], frequencies: [], places: [], saving: false, loaded: false },
  options: null,
  divisions: [],
  templates: [],

  onShow() {
    care.apply(this)
  },

  async onLoad() {
    const [options, here, templates] = await Promise.all([api.request(E.subscriptionOptions).catch(() => null), locate(),
      subscribe.loadTemplates().catch(() => [])])
    this.templates = templates
    if (!options) return
    this.options = options
    if (here) {
      const found = await api.request(E.mapLocate, { query: { lat: here.latitude, lon: here.longitude } }).catch(() => null)
      this.divisions = found ? found.divisions : []
    }
    this.setData({ frequencies: options.frequencies, limit: options.limits.subscriptions, places: options.divisions || [] })
    await this.load()
  },

  async load() {
    const items = await api.request(E.subscriptions).catch(() => null)
    if (!items) return
    this.setData({
      loaded: true,
      items: items.map(s => ({ id: s.id, description: s.description || '全部新文件', frequency: layout.frequencyLabel(this.options, s.frequency),
        criteria: s.criteria, frequencyValue: s.frequency, divisionNames: s.division_names || {} })),
    })
  },

  openEditor(value, editId, names = {}) {
    this.setData({
      editing: true,
      editId,
      value,
      sections: layout.editorSections(this.options, { divisions: this.divisions, chosen: value && value.criteria, names }),
    })
  },

  onNew() {
    if (this.data.items.length >= this.data.limit) {
      wx.showToast({ title: `最多${this.data.limit}个订阅`, icon: 'none' })
      return
    }
    this.openEditor({ criteria: {}, frequency: 'immediate' }, 0)
  },

  onEdit(e) {
    const item = this.data.items.find(s => s.id === Number(e.currentTarget.dataset.id))
    this.openEditor({ criteria: item.criteria, frequency: item.frequencyValue }, item.id, item.divisionNames)
  },

  onCancelEdit() {
    this.setData({ editing: false, value: null })
  },

  // From the 保存订阅 tap (the editor's save event runs inside it): WeChat shows the consent dialog only for a tap.
  // Without consent for document_published the server may not message the resident (push_log: no_grant).
  async onSave(e) {
    if (this.data.saving) return
    const { criteria, frequency } = e.detail
    // 仅在主页显示 sends no message, so there is nothing to consent to.
    const consent = frequency === 'feed' ? Promise.resolve({}) : subscribe.ask(subscribe.templateIds(this.templates, subscribe.FEED_PURPOSES))
    this.setData({ saving: true })
    await subscribe.record(await consent).catch(() => null)
    const saved = this.data.editId
      ? await api.request(E.updateSubscription, { path: { subscription_id: this.data.editId }, data: { criteria, frequency } }).catch(() => null)
      : await api.request(E.subscribe, { data: { criteria, frequency } }).catch(() => null)
    this.setData({ saving: false })
    if (!saved) return
    wx.showToast({ title: '订阅已保存', icon: 'success' })
    this.setData({ editing: false, value: null })
    await this.load()
  },

  onDelete(e) {
    const id = Number(e.currentTarget.dataset.id)
    return new Promise(resolve => {
      wx.showModal({
        title: '取消订阅',
        content: '取消后不再推送这类内容，确定吗？',
        success: res => resolve(res.confirm ? this.remove(id) : null),
      })
    })
  },

  async remove(id) {
    const done = await api.request(E.unsubscribe, { path: { subscription_id: id } }).then(() => true).catch(() => false)
    if (done) await this.load()
  },
})
