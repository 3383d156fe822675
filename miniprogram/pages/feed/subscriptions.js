// 我的订阅: subscriptions list, and the editor built from the server's options.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const layout = require('../../utils/subscriptions')
const care = require('../../utils/care')

function locate() {
  return new Promise(resolve => {
    wx.getLocation({ type: 'gcj02', success: resolve, fail: () => resolve(null) })
  })
}

Page({
  data: { care: false, items: [], limit: 20, editing: false, editId: 0, value: null, sections: [], frequencies: [], saving: false, loaded: false },
  options: null,
  divisions: [],

  onShow() {
    care.apply(this)
  },

  async onLoad() {
    const [options, here] = await Promise.all([api.request(E.subscriptionOptions).catch(() => null), locate()])
    if (!options) return
    this.options = options
    if (here) {
      const found = await api.request(E.mapLocate, { query: { lat: here.latitude, lon: here.longitude } }).catch(() => null)
      this.divisions = found ? found.divisions : []
    }
    this.setData({ frequencies: options.frequencies, limit: options.limits.subscriptions })
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

  async onSave(e) {
    const { criteria, frequency } = e.detail
    this.setData({ saving: true })
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
