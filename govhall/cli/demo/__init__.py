"""The demo hall (示例县政务服务中心): data and the loader behind `govhall demo`."""
