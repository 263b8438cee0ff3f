"""The name and tag of the nsenterctl image, in one place."""

IMAGE_REPOSITORY = "nsenter_cpp/nsenterctl"

# The image's version: change it with each release of the image.
IMAGE_VERSION = "0.1.0"

IMAGE_TAG = IMAGE_REPOSITORY + ":" + IMAGE_VERSION
