import VAE
