"""jushou: 重層的支援体制整備事業のケース記録ツール (the core library; the CLI lives in jushou_cli.cli)."""

__version__ = "0.1.0"
