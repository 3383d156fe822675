// 企业主页: register an enterprise or join one with an invitation code; then its homepage: profile,
// matched policies (惠企政策 first), notices, its subscriptions, and for the owner, members and invitations.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const enterprise = require('../../utils/enterprise')
const layout = require('../../utils/subscriptions')
const care = require('../../utils/care')
const subscribe = require('../../utils/subscribe')

function locate() {
  return new Promise(resolve => wx.getLocation({ type: 'gcj02', success: resolve, fail: () => resolve(null) }))
}

Page({
  data: {
    care: false,
    enterprises: [], current: 0, home: null, members: [], invitation: null, owner: false, statusText: '',
    form: {}, errors: {}, industries: [], sizes: [], divisions: [], joinCode: '', loaded: false,
    editing: false, editId: 0, value: null, sections: [], frequencies: [], places: [], saving: false,
  },
  options: null,
  templates: null,

  async onShow() {
    care.apply(this)
    const [mine, templates] = await Promise.all([api.request(E.myEnterprises).catch(() => null),
      this.templates || subscribe.loadTemplates().catch(() => null)])
    this.templates = templates
    if (!mine) return
    this.setData({ enterprises: mine, loaded: true })
    if (mine.length) await this.openHome(mine[Math.min(this.data.current, mine.length - 1)].id)
    else await this.prepareRegistration()
  },

  async openHome(id) {
    const home = await api.request(E.enterpriseHome, { path: { enterprise_id: id } }).catch(() => null)
    if (!home) return
    const owner = Boolean(home.enterprise.membership && home.enterprise.membership.role === 'owner')
    this.setData({ home, owner, statusText: enterprise.statusText(home.enterprise.status), invitation: null })
    if (owner) {
      const members = await api.request(E.enterpriseMembers, { path: { enterprise_id: id } }).catch(() => null)
      if (members) this.setData({ members })
    }
  },

  async prepareRegistration() {
    const [options, here] = await Promise.all([api.request(E.subscriptionOptions).catch(() => null), locate()])
    if (options) {
      this.options = options
      this.setData({ industries: options.industries, sizes: options.sizes })
    }
    if (!here) return
    const found = await api.request(E.mapLocate, { query: { lat: here.latitude, lon: here.longitude } }).catch(() => null)
    if (found) this.setData({ divisions: found.divisions })
  },

  onField(e) {
    const field = e.currentTarget.dataset.field
    this.setData({ [`form.${field}`]: e.detail.value, [`errors.${field}`]: '' })
  },

  onPick(e) {
    const { field, list } = e.currentTarget.dataset
    const choice = this.data[list][Number(e.detail.value)]
    this.setData({ [`form.${field}`]: choice.value || choice.code, [`form.${field}_label`]: choice.label || choice.name, [`errors.${field}`]: '' })
  },

  async onRegister() {
    const checked = enterprise.checkRegistration(this.data.form)
    this.setData({ errors: checked.errors })
    if (!checked.ok) return
    const created = await api.request(E.registerEnterprise, { data: checked.body }).catch(() => null)
    if (!created) return
    wx.showToast({ title: '已提交审核', icon: 'success' })
    await this.onShow()
  },

  onJoinCode(e) {
    this.setData({ joinCode: e.detail.value.trim().toUpperCase() })
  },

  // From the 加入 tap: a member is told of the enterprise's policies (notify), which needs WeChat's consent, asked
  // while the tap still counts.
  async onJoin() {
    if (this.data.joinCode.length < 6) {
      wx.showToast({ title: '请输入企业提供的邀请码', icon: 'none' })
      return
    }
    await subscribe.record(await subscribe.ask(subscribe.templateIds(this.templates, subscribe.FEED_PURPOSES))).catch(() => null)
    const joined = await api.request(E.joinEnterprise, { data: { code: this.data.joinCode, notify: true } }).catch(() => null)
    if (joined) await this.onShow()
  },

  onOpenCard(e) {
    wx.navigateTo({ url: `/${e.currentTarget.dataset.page}` })
  },

  async onInvite() {
    const invitation = await api.request(E.enterpriseInvite, { path: { enterprise_id: this.data.home.enterprise.id } }).catch(() => null)
    if (!invitation) return
    this.setData({ invitation })
    wx.setClipboardData({ data: invitation.code })
  },

  onRemoveMember(e) {
    const memberId = Number(e.currentTarget.dataset.id)
    return new Promise(resolve => wx.showModal({
      title: '移除成员', content: '移除后该成员不再收到企业的政策提醒，确定吗？',
      success: res => resolve(res.confirm ? this.removeMember(memberId) : null),
    }))
  },

  async removeMember(memberId) {
    const id = this.data.home.enterprise.id
    const done = await api.request(E.enterpriseRemoveMember, { path: { enterprise_id: id, member_id: memberId } }).then(() => true).catch(() => false)
    if (done) await this.openHome(id)
  },

  async onNotify(e) {
    const id = this.data.home.enterprise.id
    const updated = await api.request(E.enterpriseNotify, { path: { enterprise_id: id }, data: { notify: e.detail.value } }).catch(() => null)
    if (updated) this.setData({ 'home.enterprise': updated })
  },

  async onLeave() {
    const id = this.data.home.enterprise.id
    const left = await api.request(E.enterpriseLeave, { path: { enterprise_id: id } }).then(() => true).catch(() => false)
    if (left) {
      this.setData({ home: null, current: 0 })
      await this.onShow()
    }
  },

  async onNewSubscription() {
    await this.openEditor({ criteria: {}, frequency: 'immediate' }, 0)
  },

  async onEditSubscription(e) {
    const item = this.data.home.subscriptions.find(s => s.id === Number(e.currentTarget.dataset.id))
    if (item) await this.openEditor({ criteria: item.criteria, frequency: item.frequency }, item.id, item.division_names || {})
  },

  async openEditor(value, editId, names = {}) {
    if (!this.options) this.options = await api.request(E.subscriptionOptions).catch(() => null)
    if (!this.options) return
    const { district } = this.data.home.enterprise
    const place = this.data.home.district_name || district
    this.setData({
      editing: true,
      editId,
      value,
      frequencies: this.options.frequencies,
      places: this.options.divisions || [],
      sections: layout.editorSections(this.options, {
        divisions: [{ code: district, name: `企业注册地（${place}）` }], chosen: value.criteria, names, enterprise: true,
      }),
    })
  },

  onCancelEdit() {
    this.setData({ editing: false, value: null })
  },

  // From the editor's 保存订阅 tap: consent first, as 我的订阅 asks it (none for 仅在主页显示).
  async onSaveSubscription(e) {
    if (this.data.saving) return
    const id = this.data.home.enterprise.id
    const consent = e.detail.frequency === 'feed' ? Promise.resolve({}) : subscribe.ask(subscribe.templateIds(this.templates, subscribe.FEED_PURPOSES))
    this.setData({ saving: true })
    await subscribe.record(await consent).catch(() => null)
    const saved = this.data.editId
      ? await api.request(E.enterpriseUpdateSubscription, {
        path: { enterprise_id: id, subscription_id: this.data.editId }, data: e.detail,
      }).catch(() => null)
      : await api.request(E.enterpriseSubscribe, { path: { enterprise_id: id }, data: e.detail }).catch(() => null)
    this.setData({ saving: false })
    if (!saved) return
    this.setData({ editing: false, value: null })
    await this.openHome(id)
  },

  async onDeleteSubscription(e) {
    const id = this.data.home.enterprise.id
    const done = await api.request(E.enterpriseUnsubscribe, {
      path: { enterprise_id: id, subscription_id: Number(e.currentTarget.dataset.id) },
    }).then(() => true).catch(() => false)
    if (done) await this.openHome(id)
  },

  onSwitch(e) {
    const current = Number(e.detail.value)
    this.setData({ current })
    return this.openHome(this.data.enterprises[current].id)
  },
})
