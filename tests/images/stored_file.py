"""A stored file as make_renditions reads it, for tests that call it without a model."""


class StoredFile:
    """What make_renditions needs of a FieldFile."""

    def __init__(self, storage, name):
        self.storage, self.name, self.file = storage, name, None

    def open(self, mode="rb"):
        self.file = self.storage.open(self.name, mode)

    def read(self):
        return self.file.read()

    def close(self):
        self.file.close()
