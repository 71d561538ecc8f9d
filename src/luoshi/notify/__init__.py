"""Messages where units already are: 企业微信, 钉钉 and 飞书 group robots, SMS and e-mail (see README.md)."""
